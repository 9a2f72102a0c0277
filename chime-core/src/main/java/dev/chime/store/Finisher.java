package dev.chime.store;

import dev.chime.run.CleanText;
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
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
   * A run to close with its outcome at {@code now}; {@code startedAt}, when known, is when its call
   * really went out (a run is marked running a little before its instant).
   */
  record Closing(RunRef run, RunOutcome outcome, Instant now, Optional<Instant> startedAt) {
    Closing(RunRef run, RunOutcome outcome, Instant now) {
      this(run, outcome, now, Optional.empty());
    }
  }

  /**
   * Closes {@code run} with a final {@code outcome} at {@code now}. A run that is no longer running
   * (closed meanwhile by a deadline, a cancel or a callback) is left as it is.
   */
  Result finish(Connection connection, RunRef run, RunOutcome outcome, Instant now)
      throws SQLException {
    return finishAll(connection, List.of(new Closing(run, outcome, now))).get(0);
  }

  /**
   * Closes many runs with batched statements, in one lock order: first the schedules' streaks (in
   * schedule id order, each only if its run is still running), then the runs (in run id order),
   * then the retries to queue and the schedules to switch off. Returns what happened to each, in
   * order.
   */
  List<Result> finishAll(Connection connection, List<Closing> closings) throws SQLException {
    if (closings.isEmpty()) {
      return List.of();
    }
    Set<Closing> retrying = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Closing closing : closings) {
      RunRef run = closing.run();
      if (closing.outcome().retryable() && run.attempt() < run.policy().retry().maxAttempts()) {
        retrying.add(closing);
      }
    }
    updateStreaks(connection, closings, retrying);
    List<Closing> ordered = Statements.inIdOrder(closings, c -> c.run().runId());
    Map<Closing, Result> byClosing = new IdentityHashMap<>();
    List<Closing> closed = new ArrayList<>();
    try (PreparedStatement finish =
        connection.prepareStatement(
            "UPDATE runs SET status = ?, finished_at = ?, duration_ms = ?,"
                + " http_status = COALESCE(?, http_status), error_code = ?, error_message = ?,"
                + " response_excerpt = COALESCE(?, response_excerpt), result_json = ?,"
                + " started_at = COALESCE(?, started_at), callback_token_hash = NULL,"
                + " lease_owner = NULL WHERE id = ? AND status = 'running'"
                + Statements.NEAR_INSTANT)) {
      for (Closing closing : ordered) {
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
        dialect.setInstant(finish, 9, closing.startedAt().orElse(null));
        finish.setString(10, closing.run().runId().toString());
        Statements.bindNear(dialect, finish, 11, closing.run().scheduledAt());
        finish.addBatch();
      }
      int[] counts = finish.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        boolean done = Statements.changed(counts[i]);
        byClosing.put(ordered.get(i), done ? Result.CLOSED : Result.NOT_RUNNING);
        if (done) {
          closed.add(ordered.get(i));
        }
      }
    }
    List<RunStore.NewRun> retries = new ArrayList<>();
    List<Closing> failedFinals = new ArrayList<>();
    for (Closing closing : closed) {
      RunRef run = closing.run();
      if (retrying.contains(closing)) {
        // a user may have retried this instant by hand meanwhile: take the next free number
        int next =
            Math.max(
                    run.attempt(),
                    highestAttempt(
                        connection, dialect, run.scheduleId(), run.runKey(), run.scheduledAt()))
                + 1;
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
        byClosing.put(closing, Result.RETRY_QUEUED);
      } else if (closing.outcome().status() != RunStatus.SUCCESS) {
        failedFinals.add(closing);
      }
    }
    RunStore.insert(connection, dialect, retries);
    autoDisable(connection, failedFinals);
    List<Result> results = new ArrayList<>(closings.size());
    for (Closing closing : closings) {
      results.add(byClosing.get(closing));
    }
    return results;
  }

  /**
   * Locks the given schedules' rows in id order: every transaction that changes both a schedule and
   * its runs takes the schedule first, so two of them never wait on each other in a circle. A start
   * takes them before it counts the schedules' runs, so starts on two nodes count each other's. On
   * PostgreSQL {@code FOR NO KEY UPDATE} leaves inserts of runs that reference a schedule free.
   */
  static void lockSchedules(Connection connection, Dialect dialect, Collection<UUID> ids)
      throws SQLException {
    List<String> sorted = ids.stream().map(UUID::toString).distinct().sorted().toList();
    for (List<String> part : Statements.parts(sorted)) {
      try (PreparedStatement lock =
          connection.prepareStatement(
              "SELECT id FROM schedules WHERE id IN ("
                  + Statements.placeholders(part.size())
                  + ") ORDER BY id"
                  + dialect.forRowUpdate())) {
        for (int i = 0; i < part.size(); i++) {
          lock.setString(i + 1, part.get(i));
        }
        try (ResultSet rows = lock.executeQuery()) {
          while (rows.next()) {
            // reading the rows takes the locks
          }
        }
      }
    }
  }

  /**
   * Cancels the runs the given schedules queued themselves (retries, an instant waiting behind
   * another) when they are switched off: a disabled schedule sends nothing more. Runs asked for by
   * hand stay.
   */
  static void cancelQueued(
      Connection connection, Dialect dialect, Collection<UUID> scheduleIds, Instant now, String why)
      throws SQLException {
    if (scheduleIds.isEmpty()) {
      return;
    }
    RunStatus.QUEUED.checkMove(RunStatus.CANCELLED);
    try (PreparedStatement cancel =
        connection.prepareStatement(
            "UPDATE runs SET status = 'cancelled', finished_at = ?, error_code = 'cancelled',"
                + " error_message = ?, lease_owner = NULL, lease_until = NULL"
                + " WHERE "
                + dialect.inFlightScheduleColumn()
                + " = ? AND status = 'queued' AND origin = 'schedule'")) {
      for (UUID id : scheduleIds) {
        dialect.setInstant(cancel, 1, now);
        cancel.setString(2, clip(why));
        cancel.setString(3, id.toString());
        cancel.addBatch();
      }
      cancel.executeBatch();
    }
  }

  /**
   * Records on each schedule how its runs ended, if the run is still running: a retried attempt
   * sets {@code last_status}; the last attempt at an instant also moves the failure streak and
   * retires a successful {@code once} schedule. One statement for every kind, in schedule id order,
   * so the rows are locked in one order; a success after a success writes nothing.
   */
  private void updateStreaks(Connection connection, List<Closing> closings, Set<Closing> retrying)
      throws SQLException {
    try (PreparedStatement streak =
        connection.prepareStatement(
            "UPDATE schedules SET consecutive_failures = CASE WHEN ? THEN"
                + " (CASE WHEN ? THEN 0 ELSE consecutive_failures + 1 END)"
                + " ELSE consecutive_failures END, last_status = ?,"
                + " enabled = CASE WHEN ? AND trigger_type = 'once' AND next_fire_at IS NULL"
                + " THEN FALSE ELSE enabled END"
                // the cheap test of the schedule's own row first, so that a database which tests
                // in order need not look the run up for a success after a success (most ends)
                + " WHERE id = ? AND NOT (? AND consecutive_failures = 0"
                + " AND last_status = 'success' AND trigger_type <> 'once')"
                + " AND EXISTS (SELECT 1 FROM runs WHERE id = ? AND status = 'running'"
                + Statements.NEAR_INSTANT
                + ")")) {
      for (Closing closing : Statements.inIdOrder(closings, c -> c.run().scheduleId())) {
        boolean last = !retrying.contains(closing);
        boolean success = closing.outcome().status() == RunStatus.SUCCESS;
        streak.setBoolean(1, last);
        streak.setBoolean(2, success);
        streak.setString(3, closing.outcome().status().wireName());
        streak.setBoolean(4, last && success);
        streak.setString(5, closing.run().scheduleId().toString());
        streak.setBoolean(6, last && success);
        streak.setString(7, closing.run().runId().toString());
        Statements.bindNear(dialect, streak, 8, closing.run().scheduledAt());
        streak.addBatch();
      }
      streak.executeBatch();
    }
  }

  /** Switches off the schedules whose failure streak reached their {@code auto_disable_after}. */
  private void autoDisable(Connection connection, List<Closing> failedFinals) throws SQLException {
    List<Closing> disabling =
        failedFinals.stream().filter(c -> c.run().policy().autoDisableAfter().isPresent()).toList();
    if (disabling.isEmpty()) {
      return;
    }
    disabling = Statements.inIdOrder(disabling, c -> c.run().scheduleId());
    try (PreparedStatement disable =
        connection.prepareStatement(
            "UPDATE schedules SET enabled = FALSE, next_fire_at = NULL, disabled_reason = ?,"
                + " updated_at = ?, lease_owner = NULL, lease_until = NULL,"
                + " lease_epoch = lease_epoch + 1"
                + " WHERE id = ? AND enabled = TRUE AND consecutive_failures >= ?")) {
      for (Closing closing : disabling) {
        RunOutcome outcome = closing.outcome();
        int limit = closing.run().policy().autoDisableAfter().getAsInt();
        disable.setString(
            1,
            CleanText.clip(
                "disabled by Chime after "
                    + limit
                    + " failed run(s) in a row (auto_disable_after); the last ended "
                    + outcome.status().wireName()
                    + outcome.errorMessage().map(m -> ": " + m).orElse(""),
                500));
        dialect.setInstant(disable, 2, closing.now());
        disable.setString(3, closing.run().scheduleId().toString());
        disable.setInt(4, limit);
        disable.addBatch();
      }
      int[] counts = disable.executeBatch();
      List<UUID> disabled = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        if (Statements.changed(counts[i])) {
          disabled.add(disabling.get(i).run().scheduleId());
        }
      }
      cancelQueued(
          connection,
          dialect,
          disabled,
          disabling.get(0).now(),
          "the schedule was disabled after too many failed runs in a row");
    }
  }

  /**
   * The highest attempt recorded for a scheduled instant (the one {@code runKey} names), found
   * through the schedule and the instant, which every database has an index of (on H2 its unique
   * key, led by the instant, so the instant is matched exactly, as the engine's look for keys
   * already on record matches it).
   */
  static int highestAttempt(
      Connection connection, Dialect dialect, UUID scheduleId, String runKey, Instant scheduledAt)
      throws SQLException {
    boolean exact = dialect.findsRunKeysBySchedule();
    String from = exact ? "runs USE INDEX (" + EngineStore.H2_INSTANT_KEY + ")" : "runs";
    String at =
        exact ? " AND scheduled_at = " + Statements.H2_INSTANT_PARAMETER : Statements.NEAR_INSTANT;
    try (PreparedStatement max =
        connection.prepareStatement(
            "SELECT MAX(attempt) FROM " + from + " WHERE schedule_id = ? AND run_key = ?" + at)) {
      max.setString(1, scheduleId.toString());
      max.setString(2, runKey);
      if (exact) {
        dialect.setInstant(max, 3, scheduledAt);
      } else {
        Statements.bindNear(dialect, max, 3, scheduledAt);
      }
      try (ResultSet rows = max.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /** A message cut to fit the 2,000 characters of {@code error_message}. */
  static String clip(String message) {
    return CleanText.clip(message, 2000);
  }
}
