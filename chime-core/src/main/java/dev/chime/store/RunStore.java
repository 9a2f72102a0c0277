package dev.chime.store;

import dev.chime.ConflictException;
import dev.chime.NotFoundException;
import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/** Runs in the database, always seen through one tenant. */
public final class RunStore {
  static final String COLUMNS =
      "id, tenant_id, schedule_id, run_key, attempt, origin, status, scheduled_at, started_at,"
          + " finished_at, duration_ms, http_status, error_code, error_message, response_excerpt,"
          + " result_json, due_at, trace_id, created_at";

  private final Database db;
  private final Dialect dialect;
  private final Finisher finisher;

  public RunStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
    this.finisher = new Finisher(dialect);
  }

  /** What an async target's report did. */
  public enum CallbackResult {
    /** The run is closed with the reported result. */
    COMPLETED,
    /** The token is wrong, already used, or the run is no longer running. */
    FORBIDDEN,
    /** No such run. */
    NOT_FOUND
  }

  /**
   * Closes a running run with what its async target reported, if {@code tokenHash} is the hash of
   * the run's one-run callback token. The token works once: closing the run clears it.
   */
  public CallbackResult completeByCallback(
      UUID runId, String tokenHash, RunOutcome outcome, Instant now) {
    return closeRunning(
        runId,
        row -> {
          String stored = row.getString("callback_token_hash");
          return stored != null
              && java.security.MessageDigest.isEqual(
                  stored.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                  tokenHash.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        },
        outcome,
        now,
        connection -> {});
  }

  /**
   * Closes a running run of the tenant with the result its target reports by the run's id (as a
   * control plane's worker reports on the {@code job_run_id} of an envelope), by {@code actor},
   * with its audit event ({@code run.complete}). The run's callback token is spent with it.
   */
  public Run completeReported(
      String tenantId, UUID runId, RunOutcome outcome, Instant now, Actor actor) {
    Run run = find(tenantId, runId);
    CallbackResult result =
        run.status() != RunStatus.RUNNING
            ? CallbackResult.FORBIDDEN
            : closeRunning(
                runId,
                row -> row.getString("run_tenant").equals(tenantId),
                outcome,
                now,
                connection ->
                    audit(
                        connection,
                        tenantId,
                        now,
                        actor,
                        "run.complete",
                        run,
                        outcome.status().wireName()));
    return switch (result) {
      case COMPLETED -> find(tenantId, runId);
      case NOT_FOUND -> throw new NotFoundException("run", runId.toString());
      case FORBIDDEN -> {
        Run current = find(tenantId, runId);
        throw new ConflictException(
            "",
            "run "
                + runId
                + " is "
                + current.status().wireName()
                + "; only a running run can be completed, once");
      }
    };
  }

  /** What entitles a report to close a run, judged on its locked row. */
  private interface Proof {
    boolean holds(ResultSet row) throws SQLException;
  }

  /** What is written beside the closing of a run, in its transaction. */
  private interface Beside {
    void write(Connection connection) throws SQLException;
  }

  private CallbackResult closeRunning(
      UUID runId, Proof proof, RunOutcome outcome, Instant now, Beside beside) {
    return db.inTransaction(
        connection -> {
          Instant scheduledAt;
          // one lock order everywhere: the schedule's row before its run's
          try (PreparedStatement owner =
              connection.prepareStatement(
                  "SELECT schedule_id, scheduled_at FROM runs WHERE id = ?")) {
            owner.setString(1, runId.toString());
            try (ResultSet rows = owner.executeQuery()) {
              if (!rows.next()) {
                return CallbackResult.NOT_FOUND;
              }
              Finisher.lockSchedules(
                  connection, dialect, List.of(UUID.fromString(rows.getString(1))));
              scheduledAt = dialect.getInstant(rows, "scheduled_at").orElseThrow();
            }
          }
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT "
                      + Finisher.CLOSING_COLUMNS
                      + ", r.status, r.callback_token_hash, r.started_at, r.tenant_id AS run_tenant"
                      + " FROM runs r JOIN schedules s ON s.id = r.schedule_id WHERE r.id = ?"
                      + Statements.NEAR_INSTANT.replace("scheduled_at", "r.scheduled_at")
                      + dialect.forUpdate("r"))) {
            select.setString(1, runId.toString());
            Statements.bindNear(dialect, select, 2, scheduledAt);
            try (ResultSet rows = select.executeQuery()) {
              if (!rows.next()) {
                return CallbackResult.NOT_FOUND;
              }
              if (!rows.getString("status").equals("running") || !proof.holds(rows)) {
                return CallbackResult.FORBIDDEN;
              }
              RunRef ref = finisher.readRunRef(rows);
              long durationMs =
                  dialect
                      .getInstant(rows, "started_at")
                      .map(started -> java.time.Duration.between(started, now).toMillis())
                      .orElse(0L);
              RunOutcome timed =
                  new RunOutcome(
                      outcome.status(),
                      outcome.httpStatus(),
                      outcome.errorCode(),
                      outcome.errorMessage(),
                      outcome.responseExcerpt(),
                      durationMs,
                      outcome.retryAfter(),
                      outcome.resultJson());
              if (finisher.finish(connection, ref, timed, now) == Finisher.Result.NOT_RUNNING) {
                return CallbackResult.FORBIDDEN;
              }
              beside.write(connection);
              return CallbackResult.COMPLETED;
            }
          }
        });
  }

  /**
   * Cancels a queued run, or a running one whose target accepted it for later (202). A call in
   * progress cannot be taken back: that is a conflict.
   */
  public Run cancel(String tenantId, UUID runId, Instant now) {
    return cancel(tenantId, runId, now, Actor.CHIME);
  }

  /** {@link #cancel} by {@code actor}, with its audit event ({@code run.cancel}). */
  public Run cancel(String tenantId, UUID runId, Instant now, Actor actor) {
    Run run = find(tenantId, runId);
    boolean asyncRunning =
        run.status() == RunStatus.RUNNING && run.httpStatus().equals(OptionalInt.of(202));
    if (run.status() != RunStatus.QUEUED && !asyncRunning) {
      throw new ConflictException(
          "",
          "run "
              + runId
              + " is "
              + run.status().wireName()
              + (run.status() == RunStatus.RUNNING
                  ? "; a call in progress cannot be cancelled, it ends by its timeout"
                  : "; only a queued run or an accepted (202) running one can be cancelled"));
    }
    boolean done =
        db.inTransaction(
            connection -> {
              try (PreparedStatement cancel =
                  connection.prepareStatement(
                      "UPDATE runs SET status = 'cancelled', finished_at = ?,"
                          + " error_code = 'cancelled', error_message = 'cancelled by a user',"
                          + " callback_token_hash = NULL, lease_owner = NULL, lease_until = NULL"
                          + " WHERE id = ? AND tenant_id = ? AND status = ?"
                          + Statements.NEAR_INSTANT)) {
                dialect.setInstant(cancel, 1, now);
                cancel.setString(2, runId.toString());
                cancel.setString(3, tenantId);
                cancel.setString(4, run.status().wireName());
                Statements.bindNear(dialect, cancel, 5, run.scheduledAt());
                if (cancel.executeUpdate() != 1) {
                  return false;
                }
              }
              audit(connection, tenantId, now, actor, "run.cancel", run, "cancelled");
              return true;
            });
    if (!done) {
      throw new ConflictException("", "run " + runId + " changed meanwhile; read it again");
    }
    return get(tenantId, runId).orElseThrow();
  }

  /**
   * Queues a new attempt, due now, at the same instant as a run that failed, timed out or was
   * cancelled. The attempt number follows the highest one for that instant.
   */
  public Run retry(String tenantId, UUID runId, Instant now) {
    return retry(tenantId, runId, now, Actor.CHIME);
  }

  /** {@link #retry} by {@code actor}, with its audit event ({@code run.retry}). */
  public Run retry(String tenantId, UUID runId, Instant now, Actor actor) {
    Run run = find(tenantId, runId);
    if (run.status() != RunStatus.FAILED
        && run.status() != RunStatus.TIMEOUT
        && run.status() != RunStatus.CANCELLED) {
      throw new ConflictException(
          "",
          "run "
              + runId
              + " is "
              + run.status().wireName()
              + "; only a failed, timed-out or cancelled run can be retried");
    }
    try {
      return db.inTransaction(
          connection -> {
            int attempt =
                Finisher.highestAttempt(
                        connection, dialect, run.scheduleId(), run.runKey(), run.scheduledAt())
                    + 1;
            Run retry =
                Run.queued(
                    tenantId,
                    run.scheduleId(),
                    run.runKey(),
                    attempt,
                    RunOrigin.MANUAL,
                    run.scheduledAt(),
                    now,
                    now);
            insert(connection, dialect, List.of(NewRun.of(retry)));
            // the run retried before, the attempt it queued after
            AuditStore.insert(
                connection,
                dialect,
                AuditEvent.of(
                    tenantId,
                    now,
                    actor,
                    "run.retry",
                    "run",
                    run.id().toString(),
                    Optional.of(describe(run, run.status().wireName())),
                    Optional.of(describe(retry, retry.status().wireName()))));
            WakeUps.announce(connection, dialect, WakeUps.Change.QUEUED_RUN);
            return retry;
          });
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        throw new ConflictException(
            "", "another attempt at this instant was queued just now; read the runs again");
      }
      throw e;
    }
  }

  /**
   * Adds a queued run for an existing schedule, such as a run-now; false when the schedule does not
   * exist in the tenant (it may have been deleted a moment ago).
   */
  public boolean insertQueued(Run run) {
    return insertQueued(run, Actor.CHIME, "run.queue");
  }

  /**
   * {@link #insertQueued(Run)} by {@code actor}, with its audit event: {@code action} (e.g. {@code
   * schedule.run-now}) on the schedule, the queued run as its after.
   */
  public boolean insertQueued(Run run, Actor actor, String action) {
    try {
      return db.inTransaction(connection -> insertQueuedIn(connection, run, actor, action));
    } catch (StoreException e) {
      throw duplicateKeyOr(e, run);
    }
  }

  /**
   * Queues many runs (a bulk run-now) in one transaction, in the order of their schedules' ids;
   * answers, per run, whether its schedule existed in the tenant.
   */
  public java.util.Map<UUID, Boolean> insertQueuedEach(
      List<Run> queued, Actor actor, String action) {
    try {
      return db.inTransaction(
          connection -> {
            java.util.Map<UUID, Boolean> done = new java.util.HashMap<>();
            for (Run run : Statements.inIdOrder(queued, Run::scheduleId)) {
              done.put(run.id(), insertQueuedIn(connection, run, actor, action));
            }
            return done;
          });
    } catch (StoreException e) {
      throw duplicateKeyOr(e, queued.get(0));
    }
  }

  private boolean insertQueuedIn(Connection connection, Run run, Actor actor, String action)
      throws SQLException {
    if (run.status() != RunStatus.QUEUED) {
      throw new IllegalArgumentException("only a queued run is inserted here, got " + run.status());
    }
    try (PreparedStatement check =
        connection.prepareStatement(
            "SELECT id FROM schedules WHERE id = ? AND tenant_id = ? FOR UPDATE")) {
      check.setString(1, run.scheduleId().toString());
      check.setString(2, run.tenantId());
      try (ResultSet rows = check.executeQuery()) {
        if (!rows.next()) {
          return false;
        }
      }
    }
    insert(connection, dialect, List.of(NewRun.of(run)));
    AuditStore.insert(
        connection,
        dialect,
        AuditEvent.of(
            run.tenantId(),
            run.createdAt(),
            actor,
            action,
            "schedule",
            run.scheduleId().toString(),
            Optional.empty(),
            Optional.of(describe(run, run.status().wireName()))));
    WakeUps.announce(connection, dialect, WakeUps.Change.QUEUED_RUN);
    return true;
  }

  private RuntimeException duplicateKeyOr(StoreException e, Run run) {
    if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
      return new ConflictException("", "a run with key " + run.runKey() + " already exists");
    }
    return e;
  }

  /** The audit event of a change to {@code run}: before as it was, after with {@code newStatus}. */
  private void audit(
      Connection connection,
      String tenantId,
      Instant now,
      Actor actor,
      String action,
      Run run,
      String newStatus)
      throws SQLException {
    AuditStore.insert(
        connection,
        dialect,
        AuditEvent.of(
            tenantId,
            now,
            actor,
            action,
            "run",
            run.id().toString(),
            Optional.of(describe(run, run.status().wireName())),
            Optional.of(describe(run, newStatus))));
  }

  /** What the audit trail keeps of a run: which attempt of which instant, and its status. */
  private static String describe(Run run, String status) {
    com.fasterxml.jackson.databind.node.ObjectNode node =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    node.put("id", run.id().toString());
    node.put("schedule_id", run.scheduleId().toString());
    node.put("scheduled_at", run.scheduledAt().toString());
    node.put("attempt", run.attempt());
    node.put("origin", run.origin().wireName());
    node.put("status", status);
    return node.toString();
  }

  private Run find(String tenantId, UUID runId) {
    return get(tenantId, runId).orElseThrow(() -> new NotFoundException("run", runId.toString()));
  }

  /**
   * A run whatever its tenant: only for the answer to an async target that just completed it with
   * the run's own callback token, which is proof enough of its right to see it.
   */
  public Optional<Run> getCompletedByCallback(UUID id) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE id = ?")) {
            statement.setString(1, id.toString());
            List<Run> runs = readAll(statement, dialect);
            return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
          }
        });
  }

  public Optional<Run> get(String tenantId, UUID id) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT " + COLUMNS + " FROM runs WHERE id = ? AND tenant_id = ?")) {
            statement.setString(1, id.toString());
            statement.setString(2, tenantId);
            List<Run> runs = readAll(statement, dialect);
            return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
          }
        });
  }

  /** A schedule's runs, newest scheduled instant first. */
  /**
   * A schedule's runs whose scheduled instant lies in [{@code from}, {@code to}), newest first, at
   * most {@code limit}: what the schedule's statistics are made from.
   */
  public List<Run> inWindow(String tenantId, UUID scheduleId, Instant from, Instant to, int limit) {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM runs WHERE schedule_id = ? AND tenant_id = ? AND scheduled_at >= ?"
            + " AND scheduled_at < ? ORDER BY scheduled_at DESC, attempt DESC, id DESC"
            + Statements.limit(limit);
    return db.inTransaction(
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, scheduleId.toString());
            statement.setString(2, tenantId);
            dialect.setInstant(statement, 3, from);
            dialect.setInstant(statement, 4, to);
            return readAll(statement, dialect);
          }
        });
  }

  /**
   * The trace ids of these runs (those that exist), by run id: for exporting their spans. Each is
   * found by its key with its scheduled instant, so a table kept in partitions by day reads one.
   */
  public java.util.Map<UUID, String> traceIds(List<RunRef> runs) {
    if (runs.isEmpty()) {
      return java.util.Map.of();
    }
    String where =
        String.join(
            " OR ", java.util.Collections.nCopies(runs.size(), "(id = ? AND scheduled_at = ?)"));
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement("SELECT id, trace_id FROM runs WHERE " + where)) {
            for (int i = 0; i < runs.size(); i++) {
              select.setString(2 * i + 1, runs.get(i).runId().toString());
              dialect.setInstant(select, 2 * i + 2, runs.get(i).scheduledAt());
            }
            java.util.Map<UUID, String> ids = new java.util.HashMap<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                ids.put(UUID.fromString(rows.getString(1)), rows.getString(2));
              }
            }
            return ids;
          }
        });
  }

  public Page<Run> listBySchedule(
      String tenantId, UUID scheduleId, Optional<String> cursor, int limit) {
    Optional<Cursor> after = cursor.map(Cursor::decode);
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM runs WHERE schedule_id = ? AND tenant_id = ?"
            // "scheduled_at <= ?" repeats what the OR implies, so that the index scan starts at
            // the cursor (and partitions of later days are not read at all)
            + (after.isPresent()
                ? " AND scheduled_at <= ? AND (scheduled_at < ? OR (scheduled_at = ? AND"
                    + " (attempt < ? OR (attempt = ? AND id < ?))))"
                : "")
            + " ORDER BY scheduled_at DESC, attempt DESC, id DESC"
            + Statements.limit(limit + 1);
    List<Run> rows =
        db.inTransaction(
            connection -> {
              try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int i = 1;
                statement.setString(i++, scheduleId.toString());
                statement.setString(i++, tenantId);
                if (after.isPresent()) {
                  dialect.setInstant(statement, i++, after.get().at());
                  dialect.setInstant(statement, i++, after.get().at());
                  dialect.setInstant(statement, i++, after.get().at());
                  statement.setInt(i++, after.get().rank());
                  statement.setInt(i++, after.get().rank());
                  statement.setString(i, after.get().id().toString());
                }
                return readAll(statement, dialect);
              }
            });
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<Run> page = rows.subList(0, limit);
    Run last = page.get(page.size() - 1);
    return new Page<>(
        page, Optional.of(new Cursor(last.scheduledAt(), last.attempt(), last.id()).encode()));
  }

  /** A run to insert, with what only the engine knows: its deadline and callback token. */
  /**
   * A run row to insert; a running one carries its deadline, the hash of its callback token and the
   * node whose call it is ({@code owner}, kept until the call ends).
   */
  record NewRun(
      Run run,
      Optional<Instant> deadlineAt,
      Optional<String> callbackTokenHash,
      Optional<String> owner) {
    static NewRun of(Run run) {
      return new NewRun(run, Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  static void insert(Connection connection, Dialect dialect, List<NewRun> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO runs ("
                + COLUMNS
                + ", deadline_at, callback_token_hash, lease_owner, lease_epoch)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)")) {
      for (NewRun row : rows) {
        Run run = row.run();
        statement.setString(1, run.id().toString());
        statement.setString(2, run.tenantId());
        statement.setString(3, run.scheduleId().toString());
        statement.setString(4, run.runKey());
        statement.setInt(5, run.attempt());
        statement.setString(6, run.origin().wireName());
        statement.setString(7, run.status().wireName());
        dialect.setInstant(statement, 8, run.scheduledAt());
        dialect.setInstant(statement, 9, run.startedAt().orElse(null));
        dialect.setInstant(statement, 10, run.finishedAt().orElse(null));
        setLong(statement, 11, run.durationMs());
        setInt(statement, 12, run.httpStatus());
        statement.setString(13, run.errorCode().orElse(null));
        statement.setString(14, run.errorMessage().orElse(null));
        statement.setString(15, run.responseExcerpt().orElse(null));
        statement.setString(16, run.resultJson().orElse(null));
        dialect.setInstant(statement, 17, run.dueAt().orElse(null));
        statement.setString(18, run.traceId());
        dialect.setInstant(statement, 19, run.createdAt());
        dialect.setInstant(statement, 20, row.deadlineAt().orElse(null));
        statement.setString(21, row.callbackTokenHash().orElse(null));
        statement.setString(22, row.owner().orElse(null));
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  static List<Run> readAll(PreparedStatement statement, Dialect dialect) throws SQLException {
    List<Run> result = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        result.add(read(rows, dialect));
      }
    }
    return result;
  }

  static Run read(ResultSet rows, Dialect dialect) throws SQLException {
    long duration = rows.getLong("duration_ms");
    OptionalLong durationMs = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(duration);
    int http = rows.getInt("http_status");
    OptionalInt httpStatus = rows.wasNull() ? OptionalInt.empty() : OptionalInt.of(http);
    return new Run(
        UUID.fromString(rows.getString("id")),
        rows.getString("tenant_id"),
        UUID.fromString(rows.getString("schedule_id")),
        rows.getString("run_key"),
        rows.getInt("attempt"),
        RunOrigin.fromWire(rows.getString("origin")),
        RunStatus.fromWire(rows.getString("status")),
        dialect.getInstant(rows, "scheduled_at").orElseThrow(),
        dialect.getInstant(rows, "started_at"),
        dialect.getInstant(rows, "finished_at"),
        durationMs,
        httpStatus,
        Optional.ofNullable(rows.getString("error_code")),
        Optional.ofNullable(rows.getString("error_message")),
        Optional.ofNullable(rows.getString("response_excerpt")),
        Optional.ofNullable(rows.getString("result_json")),
        dialect.getInstant(rows, "due_at"),
        rows.getString("trace_id"),
        dialect.getInstant(rows, "created_at").orElseThrow());
  }

  private static void setLong(PreparedStatement statement, int index, OptionalLong value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setLong(index, value.getAsLong());
    } else {
      statement.setNull(index, java.sql.Types.BIGINT);
    }
  }

  private static void setInt(PreparedStatement statement, int index, OptionalInt value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setInt(index, value.getAsInt());
    } else {
      statement.setNull(index, java.sql.Types.INTEGER);
    }
  }
}
