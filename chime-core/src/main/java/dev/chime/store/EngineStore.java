package dev.chime.store;

import dev.chime.run.Run;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The engine's statements: claim due work in batches, mark fires started, write outcomes. Every
 * write that follows a claim is fenced by the lease epoch the claim returned; a write that has lost
 * its lease changes nothing and is reported as not done, never thrown.
 */
public final class EngineStore {
  private final Database db;
  private final Dialect dialect;

  public EngineStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** A schedule whose next fire this node now holds. */
  public record ClaimedSchedule(
      UUID id,
      String tenantId,
      String triggerJson,
      String targetJson,
      String payloadJson,
      Instant nextFireAt,
      long leaseEpoch) {}

  /** A queued run (run-now) this node now holds. */
  public record ClaimedRun(
      UUID runId,
      UUID scheduleId,
      String tenantId,
      String runKey,
      int attempt,
      Instant scheduledAt,
      String traceId,
      String targetJson,
      String payloadJson,
      long leaseEpoch) {}

  /** The start of a scheduled fire: the run to record and where the schedule goes next. */
  public record ScheduleStart(
      UUID scheduleId, long leaseEpoch, Optional<Instant> nextFireAt, Run run) {}

  /** The start of a claimed queued run. */
  public record RunStart(UUID runId, long leaseEpoch) {}

  /** A finished call. */
  public record Completion(UUID runId, UUID scheduleId, RunOutcome outcome, Instant finishedAt) {}

  private static final String SCHEDULE_CLAIM_COLUMNS =
      "id, tenant_id, trigger_json, target_json, payload_json, next_fire_at, lease_epoch";

  /**
   * Claims up to {@code limit} enabled schedules due by {@code dueBy} whose lease is free or ran
   * out before {@code now}, in order of their next fire, leasing them to {@code owner} until {@code
   * leaseUntil}. Rows another node is claiming at the same moment are passed over.
   */
  public List<ClaimedSchedule> claimSchedules(
      String owner, Instant dueBy, Instant now, Instant leaseUntil, int limit) {
    String due =
        "SELECT id FROM schedules WHERE enabled = TRUE AND next_fire_at <= ?"
            + " AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_fire_at LIMIT ?"
            + dialect.forUpdateSkipLocked();
    return db.inTransaction(
        connection -> {
          if (dialect == Dialect.POSTGRESQL) {
            try (PreparedStatement claim =
                connection.prepareStatement(
                    "UPDATE schedules SET lease_owner = ?, lease_until = ?,"
                        + " lease_epoch = lease_epoch + 1 WHERE id IN ("
                        + due
                        + ") RETURNING "
                        + SCHEDULE_CLAIM_COLUMNS)) {
              claim.setString(1, owner);
              dialect.setInstant(claim, 2, leaseUntil);
              dialect.setInstant(claim, 3, dueBy);
              dialect.setInstant(claim, 4, now);
              claim.setInt(5, limit);
              return readClaimedSchedules(claim, 0);
            }
          }
          List<ClaimedSchedule> selected;
          try (PreparedStatement select =
              connection.prepareStatement(
                  due.replace("SELECT id ", "SELECT " + SCHEDULE_CLAIM_COLUMNS + " "))) {
            dialect.setInstant(select, 1, dueBy);
            dialect.setInstant(select, 2, now);
            select.setInt(3, limit);
            selected = readClaimedSchedules(select, 1);
          }
          if (!selected.isEmpty()) {
            try (PreparedStatement lease =
                connection.prepareStatement(
                    "UPDATE schedules SET lease_owner = ?, lease_until = ?,"
                        + " lease_epoch = lease_epoch + 1 WHERE id = ?")) {
              for (ClaimedSchedule claimed : selected) {
                lease.setString(1, owner);
                dialect.setInstant(lease, 2, leaseUntil);
                lease.setString(3, claimed.id().toString());
                lease.addBatch();
              }
              lease.executeBatch();
            }
          }
          return selected;
        });
  }

  private List<ClaimedSchedule> readClaimedSchedules(PreparedStatement statement, int epochBump)
      throws SQLException {
    List<ClaimedSchedule> result = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        result.add(
            new ClaimedSchedule(
                UUID.fromString(rows.getString("id")),
                rows.getString("tenant_id"),
                rows.getString("trigger_json"),
                rows.getString("target_json"),
                rows.getString("payload_json"),
                dialect.getInstant(rows, "next_fire_at").orElseThrow(),
                rows.getLong("lease_epoch") + epochBump));
      }
    }
    return result;
  }

  /** Claims queued runs due by {@code dueBy}, as {@link #claimSchedules} does for schedules. */
  public List<ClaimedRun> claimRuns(
      String owner, Instant dueBy, Instant now, Instant leaseUntil, int limit) {
    return db.inTransaction(
        connection -> {
          List<ClaimedRun> selected = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT r.id, r.schedule_id, r.tenant_id, r.run_key, r.attempt, r.scheduled_at,"
                      + " r.trace_id, r.lease_epoch, s.target_json, s.payload_json"
                      + " FROM runs r JOIN schedules s ON s.id = r.schedule_id"
                      + " WHERE r.status = 'queued' AND r.scheduled_at <= ?"
                      + " AND (r.lease_until IS NULL OR r.lease_until < ?)"
                      + " ORDER BY r.scheduled_at LIMIT ?"
                      + (dialect == Dialect.POSTGRESQL
                          ? " FOR UPDATE OF r SKIP LOCKED"
                          : dialect.forUpdateSkipLocked()))) {
            dialect.setInstant(select, 1, dueBy);
            dialect.setInstant(select, 2, now);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                selected.add(
                    new ClaimedRun(
                        UUID.fromString(rows.getString("id")),
                        UUID.fromString(rows.getString("schedule_id")),
                        rows.getString("tenant_id"),
                        rows.getString("run_key"),
                        rows.getInt("attempt"),
                        dialect.getInstant(rows, "scheduled_at").orElseThrow(),
                        rows.getString("trace_id"),
                        rows.getString("target_json"),
                        rows.getString("payload_json"),
                        rows.getLong("lease_epoch") + 1));
              }
            }
          }
          if (!selected.isEmpty()) {
            try (PreparedStatement lease =
                connection.prepareStatement(
                    "UPDATE runs SET lease_owner = ?, lease_until = ?,"
                        + " lease_epoch = lease_epoch + 1 WHERE id = ?")) {
              for (ClaimedRun claimed : selected) {
                lease.setString(1, owner);
                dialect.setInstant(lease, 2, leaseUntil);
                lease.setString(3, claimed.runId().toString());
                lease.addBatch();
              }
              lease.executeBatch();
            }
          }
          return selected;
        });
  }

  /**
   * Marks fires as started, all in one transaction: each scheduled fire records its run as running
   * and moves its schedule to the next fire; each queued run becomes running. Returns the ids of
   * the runs that may now be dispatched; a fire whose lease was lost (the schedule was changed,
   * disabled, deleted or taken over) is left out and must not be sent.
   */
  public Set<UUID> start(
      String owner, List<ScheduleStart> scheduleStarts, List<RunStart> runStarts, Instant now) {
    return db.inTransaction(
        connection -> {
          Set<UUID> started = new HashSet<>();
          if (!scheduleStarts.isEmpty()) {
            List<Run> runs = new ArrayList<>();
            try (PreparedStatement advance =
                connection.prepareStatement(
                    "UPDATE schedules SET next_fire_at = ?, last_fire_at = ?, lease_owner = NULL,"
                        + " lease_until = NULL WHERE id = ? AND lease_owner = ?"
                        + " AND lease_epoch = ? AND enabled = TRUE")) {
              for (ScheduleStart start : scheduleStarts) {
                dialect.setInstant(advance, 1, start.nextFireAt().orElse(null));
                dialect.setInstant(advance, 2, start.run().scheduledAt());
                advance.setString(3, start.scheduleId().toString());
                advance.setString(4, owner);
                advance.setLong(5, start.leaseEpoch());
                advance.addBatch();
              }
              int[] counts = advance.executeBatch();
              for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0 || counts[i] == PreparedStatement.SUCCESS_NO_INFO) {
                  runs.add(scheduleStarts.get(i).run());
                }
              }
            }
            if (!runs.isEmpty()) {
              RunStore.insert(connection, dialect, runs);
              runs.forEach(run -> started.add(run.id()));
            }
          }
          if (!runStarts.isEmpty()) {
            try (PreparedStatement begin =
                connection.prepareStatement(
                    "UPDATE runs SET status = 'running', started_at = ?, lease_owner = NULL,"
                        + " lease_until = NULL WHERE id = ? AND status = 'queued'"
                        + " AND lease_owner = ? AND lease_epoch = ?")) {
              for (RunStart start : runStarts) {
                dialect.setInstant(begin, 1, now);
                begin.setString(2, start.runId().toString());
                begin.setString(3, owner);
                begin.setLong(4, start.leaseEpoch());
                begin.addBatch();
              }
              int[] counts = begin.executeBatch();
              for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0 || counts[i] == PreparedStatement.SUCCESS_NO_INFO) {
                  started.add(runStarts.get(i).runId());
                }
              }
            }
          }
          return started;
        });
  }

  /**
   * Writes finished calls, all in one transaction. A {@code once} schedule whose fire succeeded is
   * disabled, unless it was given a new instant meanwhile.
   */
  public void complete(List<Completion> completions) {
    if (completions.isEmpty()) {
      return;
    }
    db.inTransaction(
        connection -> {
          List<UUID> succeeded = new ArrayList<>();
          try (PreparedStatement finish =
              connection.prepareStatement(
                  "UPDATE runs SET status = ?, finished_at = ?, duration_ms = ?, http_status = ?,"
                      + " error_code = ?, error_message = ?, response_excerpt = ?"
                      + " WHERE id = ? AND status = 'running'")) {
            for (Completion completion : completions) {
              RunOutcome outcome = completion.outcome();
              RunStatus.RUNNING.checkMove(outcome.status());
              finish.setString(1, outcome.status().wireName());
              dialect.setInstant(finish, 2, completion.finishedAt());
              finish.setLong(3, outcome.durationMs());
              if (outcome.httpStatus().isPresent()) {
                finish.setInt(4, outcome.httpStatus().getAsInt());
              } else {
                finish.setNull(4, Types.INTEGER);
              }
              finish.setString(5, outcome.errorCode().orElse(null));
              finish.setString(6, outcome.errorMessage().map(EngineStore::clip).orElse(null));
              finish.setString(7, outcome.responseExcerpt().orElse(null));
              finish.setString(8, completion.runId().toString());
              finish.addBatch();
              if (outcome.status() == RunStatus.SUCCESS) {
                succeeded.add(completion.scheduleId());
              }
            }
            finish.executeBatch();
          }
          if (!succeeded.isEmpty()) {
            disableSpentOnce(connection, succeeded, completions.get(0).finishedAt());
          }
          return null;
        });
  }

  private void disableSpentOnce(Connection connection, List<UUID> scheduleIds, Instant now)
      throws SQLException {
    try (PreparedStatement disable =
        connection.prepareStatement(
            "UPDATE schedules SET enabled = FALSE, updated_at = ? WHERE id = ?"
                + " AND trigger_type = 'once' AND next_fire_at IS NULL AND enabled = TRUE")) {
      for (UUID id : scheduleIds) {
        dialect.setInstant(disable, 1, now);
        disable.setString(2, id.toString());
        disable.addBatch();
      }
      disable.executeBatch();
    }
  }

  /** Gives back every lease {@code owner} holds on work it has not started. */
  public int releaseLeases(String owner) {
    return db.inTransaction(
        connection -> {
          int released = 0;
          try (PreparedStatement schedules =
              connection.prepareStatement(
                  "UPDATE schedules SET lease_owner = NULL, lease_until = NULL"
                      + " WHERE lease_owner = ?")) {
            schedules.setString(1, owner);
            released += schedules.executeUpdate();
          }
          try (PreparedStatement runs =
              connection.prepareStatement(
                  "UPDATE runs SET lease_owner = NULL, lease_until = NULL"
                      + " WHERE lease_owner = ? AND status = 'queued'")) {
            runs.setString(1, owner);
            released += runs.executeUpdate();
          }
          return released;
        });
  }

  private static String clip(String message) {
    return message.length() <= 2000 ? message : message.substring(0, 1997) + "...";
  }
}
