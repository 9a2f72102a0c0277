package dev.chime.store;

import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.PolicyJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Closes running runs, wherever the end comes from (the call returned, the deadline passed, an
 * async target reported, a user cancelled), and applies the schedule's policies: another attempt
 * after a retryable failure, the failure streak, switching off after too many failures, and
 * retiring a {@code once} schedule after success. Runs inside the caller's transaction.
 */
final class Finisher {
  private final Dialect dialect;

  Finisher(Dialect dialect) {
    this.dialect = dialect;
  }

  static final String CLOSING_COLUMNS =
      "r.id, r.schedule_id, r.tenant_id, r.run_key, r.attempt, r.origin, r.scheduled_at,"
          + " s.policy_json";

  RunRef readRunRef(ResultSet rows) throws SQLException {
    return new RunRef(
        UUID.fromString(rows.getString("id")),
        UUID.fromString(rows.getString("schedule_id")),
        rows.getString("tenant_id"),
        rows.getString("run_key"),
        rows.getInt("attempt"),
        RunOrigin.fromWire(rows.getString("origin")),
        dialect.getInstant(rows, "scheduled_at").orElseThrow(),
        PolicyJson.fromStored(rows.getString("policy_json")));
  }

  /** What closing did: nothing (the run was no longer running), closed, or closed and retried. */
  enum Result {
    NOT_RUNNING,
    CLOSED,
    RETRY_QUEUED
  }

  /** A run to close with its outcome at {@code now}. */
  record Closing(RunRef run, RunOutcome outcome, Instant now) {}

  /**
   * Closes {@code run} with a final {@code outcome} at {@code now}. A run that is no longer running
   * (closed meanwhile by a deadline, a cancel or a callback) is left as it is.
   */
  Result finish(Connection connection, RunRef run, RunOutcome outcome, Instant now)
      throws SQLException {
    return finishAll(connection, List.of(new Closing(run, outcome, now))).get(0);
  }

  /**
   * Closes many runs with batched statements: the run updates, then the retries to queue, then the
   * schedules' streaks. Returns what happened to each, in order.
   */
  List<Result> finishAll(Connection connection, List<Closing> closings) throws SQLException {
    List<Result> results = new ArrayList<>(closings.size());
    List<Closing> closed = new ArrayList<>();
    try (PreparedStatement finish =
        connection.prepareStatement(
            "UPDATE runs SET status = ?, finished_at = ?, duration_ms = ?,"
                + " http_status = COALESCE(?, http_status), error_code = ?, error_message = ?,"
                + " response_excerpt = COALESCE(?, response_excerpt), result_json = ?,"
                + " callback_token_hash = NULL WHERE id = ? AND status = 'running'")) {
      for (Closing closing : closings) {
        RunOutcome outcome = closing.outcome();
        RunStatus.RUNNING.checkMove(outcome.status());
        finish.setString(1, outcome.status().wireName());
        dialect.setInstant(finish, 2, closing.now());
        finish.setLong(3, outcome.durationMs());
        if (outcome.httpStatus().isPresent()) {
          finish.setInt(4, outcome.httpStatus().getAsInt());
        } else {
          finish.setNull(4, Types.INTEGER);
        }
        finish.setString(5, outcome.errorCode().orElse(null));
        finish.setString(6, outcome.errorMessage().map(Finisher::clip).orElse(null));
        finish.setString(7, outcome.responseExcerpt().orElse(null));
        finish.setString(8, outcome.resultJson().orElse(null));
        finish.setString(9, closing.run().runId().toString());
        finish.addBatch();
      }
      int[] counts = finish.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        boolean done = counts[i] > 0 || counts[i] == PreparedStatement.SUCCESS_NO_INFO;
        results.add(done ? Result.CLOSED : Result.NOT_RUNNING);
        if (done) {
          closed.add(closings.get(i));
        }
      }
    }
    List<RunStore.NewRun> retries = new ArrayList<>();
    List<Closing> retried = new ArrayList<>();
    List<Closing> finals = new ArrayList<>();
    for (Closing closing : closed) {
      RunRef run = closing.run();
      if (closing.outcome().retryable() && run.attempt() < run.policy().retry().maxAttempts()) {
        // a user may have retried this instant by hand meanwhile: take the next free number
        int next = Math.max(run.attempt(), highestAttempt(connection, run.runKey())) + 1;
        Duration wait =
            run.policy()
                .retry()
                .waitBefore(
                    next, closing.outcome().retryAfter(), ThreadLocalRandom.current().nextDouble());
        retries.add(
            RunStore.NewRun.of(
                Run.queued(
                    run.tenantId(),
                    run.scheduleId(),
                    run.runKey(),
                    next,
                    run.origin(),
                    run.scheduledAt(),
                    closing.now().plus(wait),
                    closing.now())));
        retried.add(closing);
        results.set(closings.indexOf(closing), Result.RETRY_QUEUED);
      } else {
        finals.add(closing);
      }
    }
    RunStore.insert(connection, dialect, retries);
    updateSchedules(connection, retried, finals);
    return results;
  }

  /**
   * Records on each schedule how its runs ended: a retried attempt sets {@code last_status}; the
   * last attempt at an instant also moves the failure streak, retires a successful {@code once}
   * schedule, and switches a schedule off after {@code auto_disable_after} failures in a row.
   */
  private void updateSchedules(Connection connection, List<Closing> retried, List<Closing> finals)
      throws SQLException {
    try (PreparedStatement lastStatus =
            connection.prepareStatement("UPDATE schedules SET last_status = ? WHERE id = ?");
        PreparedStatement streak =
            connection.prepareStatement(
                // one statement for both outcomes keeps the order of a batch's results
                "UPDATE schedules SET consecutive_failures = CASE WHEN ? THEN 0"
                    + " ELSE consecutive_failures + 1 END, last_status = ?,"
                    + " enabled = CASE WHEN ? AND trigger_type = 'once' AND next_fire_at IS NULL"
                    + " THEN FALSE ELSE enabled END WHERE id = ?");
        PreparedStatement disable =
            connection.prepareStatement(
                "UPDATE schedules SET enabled = FALSE, next_fire_at = NULL, disabled_reason = ?,"
                    + " updated_at = ?, lease_owner = NULL, lease_until = NULL,"
                    + " lease_epoch = lease_epoch + 1"
                    + " WHERE id = ? AND enabled = TRUE AND consecutive_failures >= ?")) {
      for (Closing closing : retried) {
        lastStatus.setString(1, closing.outcome().status().wireName());
        lastStatus.setString(2, closing.run().scheduleId().toString());
        lastStatus.addBatch();
      }
      int disables = 0;
      for (Closing closing : finals) {
        RunOutcome outcome = closing.outcome();
        RunRef run = closing.run();
        boolean success = outcome.status() == RunStatus.SUCCESS;
        streak.setBoolean(1, success);
        streak.setString(2, outcome.status().wireName());
        streak.setBoolean(3, success);
        streak.setString(4, run.scheduleId().toString());
        streak.addBatch();
        if (success) {
          continue;
        }
        if (run.policy().autoDisableAfter().isPresent()) {
          int limit = run.policy().autoDisableAfter().getAsInt();
          disable.setString(
              1,
              clip(
                  "disabled by Chime after "
                      + limit
                      + " failed run(s) in a row (auto_disable_after); the last ended "
                      + outcome.status().wireName()
                      + outcome.errorMessage().map(m -> ": " + m).orElse("")));
          dialect.setInstant(disable, 2, closing.now());
          disable.setString(3, run.scheduleId().toString());
          disable.setInt(4, limit);
          disable.addBatch();
          disables++;
        }
      }
      if (!retried.isEmpty()) {
        lastStatus.executeBatch();
      }
      if (!finals.isEmpty()) {
        streak.executeBatch();
      }
      if (disables > 0) {
        disable.executeBatch();
      }
    }
  }

  /** The highest attempt recorded for a scheduled instant. */
  static int highestAttempt(Connection connection, String runKey) throws SQLException {
    try (PreparedStatement max =
        connection.prepareStatement("SELECT MAX(attempt) FROM runs WHERE run_key = ?")) {
      max.setString(1, runKey);
      try (ResultSet rows = max.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  static String clip(String message) {
    return message.length() <= 2000 ? message : message.substring(0, 1997) + "...";
  }
}
