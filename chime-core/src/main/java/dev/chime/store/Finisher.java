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

  /**
   * Closes {@code run} with a final {@code outcome} at {@code now}. A run that is no longer running
   * (closed meanwhile by a deadline, a cancel or a callback) is left as it is.
   */
  Result finish(Connection connection, RunRef run, RunOutcome outcome, Instant now)
      throws SQLException {
    RunStatus.RUNNING.checkMove(outcome.status());
    try (PreparedStatement finish =
        connection.prepareStatement(
            "UPDATE runs SET status = ?, finished_at = ?, duration_ms = ?,"
                + " http_status = COALESCE(?, http_status), error_code = ?, error_message = ?,"
                + " response_excerpt = COALESCE(?, response_excerpt), result_json = ?,"
                + " callback_token_hash = NULL WHERE id = ? AND status = 'running'")) {
      finish.setString(1, outcome.status().wireName());
      dialect.setInstant(finish, 2, now);
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
      finish.setString(9, run.runId().toString());
      if (finish.executeUpdate() == 0) {
        return Result.NOT_RUNNING;
      }
    }
    if (outcome.retryable() && run.attempt() < run.policy().retry().maxAttempts()) {
      // a user may have retried this instant by hand meanwhile: take the next free number
      int next = Math.max(run.attempt(), highestAttempt(connection, run.runKey())) + 1;
      Duration wait =
          run.policy()
              .retry()
              .waitBefore(next, outcome.retryAfter(), ThreadLocalRandom.current().nextDouble());
      Run retry =
          Run.queued(
              run.tenantId(),
              run.scheduleId(),
              run.runKey(),
              next,
              run.origin(),
              run.scheduledAt(),
              now.plus(wait),
              now,
              newTraceId());
      RunStore.insert(connection, dialect, java.util.List.of(RunStore.NewRun.of(retry)));
      setLastStatus(connection, run.scheduleId(), outcome.status());
      return Result.RETRY_QUEUED;
    }
    recordFinal(connection, run, outcome, now);
    return Result.CLOSED;
  }

  /** The last attempt at an instant ended: update the streak, and switch off if it is time. */
  private void recordFinal(Connection connection, RunRef run, RunOutcome outcome, Instant now)
      throws SQLException {
    boolean success = outcome.status() == RunStatus.SUCCESS;
    try (PreparedStatement streak =
        connection.prepareStatement(
            success
                ? "UPDATE schedules SET consecutive_failures = 0, last_status = ? WHERE id = ?"
                : "UPDATE schedules SET consecutive_failures = consecutive_failures + 1,"
                    + " last_status = ? WHERE id = ?")) {
      streak.setString(1, outcome.status().wireName());
      streak.setString(2, run.scheduleId().toString());
      streak.executeUpdate();
    }
    if (success) {
      try (PreparedStatement disable =
          connection.prepareStatement(
              "UPDATE schedules SET enabled = FALSE, updated_at = ? WHERE id = ?"
                  + " AND trigger_type = 'once' AND next_fire_at IS NULL AND enabled = TRUE")) {
        dialect.setInstant(disable, 1, now);
        disable.setString(2, run.scheduleId().toString());
        disable.executeUpdate();
      }
      return;
    }
    if (run.policy().autoDisableAfter().isPresent()) {
      int limit = run.policy().autoDisableAfter().getAsInt();
      try (PreparedStatement disable =
          connection.prepareStatement(
              "UPDATE schedules SET enabled = FALSE, next_fire_at = NULL, disabled_reason = ?,"
                  + " updated_at = ?, lease_owner = NULL, lease_until = NULL,"
                  + " lease_epoch = lease_epoch + 1"
                  + " WHERE id = ? AND enabled = TRUE AND consecutive_failures >= ?")) {
        disable.setString(
            1,
            clip(
                "disabled by Chime after "
                    + limit
                    + " failed run(s) in a row (auto_disable_after); the last ended "
                    + outcome.status().wireName()
                    + outcome.errorMessage().map(m -> ": " + m).orElse("")));
        dialect.setInstant(disable, 2, now);
        disable.setString(3, run.scheduleId().toString());
        disable.setInt(4, limit);
        disable.executeUpdate();
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

  private static void setLastStatus(Connection connection, UUID scheduleId, RunStatus status)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE schedules SET last_status = ? WHERE id = ?")) {
      update.setString(1, status.wireName());
      update.setString(2, scheduleId.toString());
      update.executeUpdate();
    }
  }

  static String newTraceId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  static String clip(String message) {
    return message.length() <= 2000 ? message : message.substring(0, 1997) + "...";
  }
}
