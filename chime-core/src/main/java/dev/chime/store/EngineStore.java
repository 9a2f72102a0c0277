package dev.chime.store;

import dev.chime.run.Run;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The engine's statements: claim due work in batches, start fires, write outcomes, close runs past
 * their deadline. Every write that follows a claim is fenced by the lease epoch the claim returned;
 * a write that has lost its lease changes nothing and is reported as not done.
 */
public final class EngineStore {
  private final Database db;
  private final Dialect dialect;
  private final Finisher finisher;
  private final ResultStore results;

  public EngineStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
    this.finisher = new Finisher(dialect);
    this.results = new ResultStore(db);
  }

  /** Where the results of the calls this store's claims started are written. */
  public ResultStore results() {
    return results;
  }

  /** A schedule whose next fire this node now holds. */
  public record ClaimedSchedule(
      UUID id,
      String tenantId,
      String triggerJson,
      String targetJson,
      String payloadJson,
      String policyJson,
      Instant nextFireAt,
      long leaseEpoch) {}

  /** A queued run (run-now, retry, an instant waiting behind another) this node now holds. */
  public record ClaimedRun(
      RunRef ref,
      Instant dueAt,
      String traceId,
      String targetJson,
      String payloadJson,
      long leaseEpoch) {}

  /** A run that starts now, with its deadline and the hash of its callback token. */
  public record StartedRun(Run run, Instant deadlineAt, String callbackTokenHash) {}

  /**
   * What starting one scheduled fire writes: the schedule moves to {@code nextFireAt}; a run may
   * start; runs may be recorded without being sent (skipped, or queued behind another); with {@code
   * cancelRunning} the schedule's runs in flight are cancelled first.
   */
  public record ScheduleStart(
      UUID scheduleId,
      long leaseEpoch,
      Optional<Instant> nextFireAt,
      Instant lastFireAt,
      Optional<StartedRun> start,
      List<Run> recorded,
      boolean cancelRunning) {
    public ScheduleStart {
      recorded = List.copyOf(recorded);
    }
  }

  /** A claimed queued run that starts now. */
  public record RunStart(
      UUID runId, long leaseEpoch, Instant deadlineAt, String callbackTokenHash) {}

  /** A claimed queued run that must wait longer (its schedule is at its concurrency limit). */
  public record RunDeferral(UUID runId, long leaseEpoch, Instant dueAt) {}

  /** Which runs started, and which runs in flight were cancelled to make room. */
  public record StartResult(Set<UUID> started, Set<UUID> cancelled) {}

  /** Runs of one schedule now running, and now queued. */
  public record Active(int running, int queued) {
    public static final Active NONE = new Active(0, 0);
  }

  private static final String SCHEDULE_CLAIM_COLUMNS =
      "id, tenant_id, trigger_json, target_json, payload_json, policy_json, next_fire_at,"
          + " lease_epoch";

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
          lease(
              connection,
              "schedules",
              owner,
              leaseUntil,
              selected.stream().map(ClaimedSchedule::id).toList());
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
                rows.getString("policy_json"),
                dialect.getInstant(rows, "next_fire_at").orElseThrow(),
                rows.getLong("lease_epoch") + epochBump));
      }
    }
    return result;
  }

  private void lease(
      Connection connection, String table, String owner, Instant leaseUntil, List<UUID> ids)
      throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement lease =
        connection.prepareStatement(
            "UPDATE "
                + table
                + " SET lease_owner = ?, lease_until = ?,"
                + " lease_epoch = lease_epoch + 1 WHERE id = ?")) {
      for (UUID id : ids) {
        lease.setString(1, owner);
        dialect.setInstant(lease, 2, leaseUntil);
        lease.setString(3, id.toString());
        lease.addBatch();
      }
      lease.executeBatch();
    }
  }

  /** Claims queued runs due by {@code dueBy}, as {@link #claimSchedules} does for schedules. */
  public List<ClaimedRun> claimRuns(
      String owner, Instant dueBy, Instant now, Instant leaseUntil, int limit) {
    return db.inTransaction(
        connection -> {
          List<ClaimedRun> selected = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT "
                      + Finisher.CLOSING_COLUMNS
                      + ", r.due_at, r.trace_id, r.lease_epoch, s.target_json, s.payload_json"
                      + " FROM runs r JOIN schedules s ON s.id = r.schedule_id"
                      + " WHERE r.status = 'queued' AND r.due_at <= ?"
                      // a disabled schedule's own runs wait; runs asked for by hand still go
                      + " AND (s.enabled = TRUE OR r.origin = 'manual')"
                      + " AND (r.lease_until IS NULL OR r.lease_until < ?)"
                      + " ORDER BY r.due_at LIMIT ?"
                      + dialect.forUpdateSkipLocked("r"))) {
            dialect.setInstant(select, 1, dueBy);
            dialect.setInstant(select, 2, now);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                selected.add(
                    new ClaimedRun(
                        finisher.readRunRef(rows),
                        dialect.getInstant(rows, "due_at").orElseThrow(),
                        rows.getString("trace_id"),
                        rows.getString("target_json"),
                        rows.getString("payload_json"),
                        rows.getLong("lease_epoch") + 1));
              }
            }
          }
          lease(
              connection,
              "runs",
              owner,
              leaseUntil,
              selected.stream().map(c -> c.ref().runId()).toList());
          return selected;
        });
  }

  /** Runs in flight now: per schedule, running and queued; per tenant, running. */
  public record Activity(Map<UUID, Active> bySchedule, Map<String, Integer> runningByTenant) {}

  /**
   * What the overlap policies and the tenant cap need for a chunk of due work, read in one
   * transaction: how many runs each schedule has running and queued, and each tenant running.
   */
  public Activity activity(Collection<UUID> scheduleIds, Collection<String> tenantIds) {
    if (scheduleIds.isEmpty()) {
      return new Activity(Map.of(), Map.of());
    }
    return db.inTransaction(
        connection -> {
          Map<UUID, Active> bySchedule = new HashMap<>();
          try (PreparedStatement count =
              connection.prepareStatement(
                  "SELECT schedule_id, status, COUNT(*) AS n FROM runs WHERE schedule_id IN ("
                      + placeholders(scheduleIds.size())
                      + ") AND status IN ('running', 'queued') GROUP BY schedule_id, status")) {
            int i = 1;
            for (UUID id : scheduleIds) {
              count.setString(i++, id.toString());
            }
            try (ResultSet rows = count.executeQuery()) {
              while (rows.next()) {
                UUID id = UUID.fromString(rows.getString("schedule_id"));
                int n = rows.getInt("n");
                Active now = bySchedule.getOrDefault(id, Active.NONE);
                bySchedule.put(
                    id,
                    rows.getString("status").equals("running")
                        ? new Active(n, now.queued())
                        : new Active(now.running(), n));
              }
            }
          }
          Map<String, Integer> byTenant = new HashMap<>();
          try (PreparedStatement count =
              connection.prepareStatement(
                  "SELECT tenant_id, COUNT(*) AS n FROM runs WHERE status = 'running'"
                      + " AND tenant_id IN ("
                      + placeholders(tenantIds.size())
                      + ") GROUP BY tenant_id")) {
            int i = 1;
            for (String id : tenantIds) {
              count.setString(i++, id);
            }
            try (ResultSet rows = count.executeQuery()) {
              while (rows.next()) {
                byTenant.put(rows.getString("tenant_id"), rows.getInt("n"));
              }
            }
          }
          return new Activity(bySchedule, byTenant);
        });
  }

  /**
   * Starts fires, all in one transaction. Each scheduled fire moves its schedule on and writes its
   * runs; each queued run becomes running or waits longer. A fire whose lease was lost (the
   * schedule was changed, disabled, deleted or taken over) writes nothing and is left out of the
   * result: it must not be sent.
   */
  public StartResult start(
      String owner,
      List<ScheduleStart> scheduleStarts,
      List<RunStart> runStarts,
      List<RunDeferral> deferrals,
      Instant now) {
    return db.inTransaction(
        connection -> {
          Set<UUID> started = new HashSet<>();
          Set<UUID> cancelled = new HashSet<>();
          List<ScheduleStart> kept = advance(connection, owner, scheduleStarts);
          List<RunStore.NewRun> inserts = new ArrayList<>();
          for (ScheduleStart start : kept) {
            if (start.cancelRunning()) {
              cancelled.addAll(cancelRunning(connection, start.scheduleId(), now));
            }
            start.recorded().forEach(run -> inserts.add(RunStore.NewRun.of(run)));
            start
                .start()
                .ifPresent(
                    s -> {
                      inserts.add(
                          new RunStore.NewRun(
                              s.run(),
                              Optional.of(s.deadlineAt()),
                              Optional.of(s.callbackTokenHash())));
                      started.add(s.run().id());
                    });
          }
          RunStore.insert(connection, dialect, inserts);
          if (!runStarts.isEmpty()) {
            try (PreparedStatement begin =
                connection.prepareStatement(
                    "UPDATE runs SET status = 'running', started_at = ?, deadline_at = ?,"
                        + " callback_token_hash = ?, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND status = 'queued' AND lease_owner = ?"
                        + " AND lease_epoch = ?")) {
              for (RunStart start : runStarts) {
                dialect.setInstant(begin, 1, now);
                dialect.setInstant(begin, 2, start.deadlineAt());
                begin.setString(3, start.callbackTokenHash());
                begin.setString(4, start.runId().toString());
                begin.setString(5, owner);
                begin.setLong(6, start.leaseEpoch());
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
          if (!deferrals.isEmpty()) {
            try (PreparedStatement defer =
                connection.prepareStatement(
                    "UPDATE runs SET due_at = ?, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND status = 'queued' AND lease_owner = ?"
                        + " AND lease_epoch = ?")) {
              for (RunDeferral deferral : deferrals) {
                dialect.setInstant(defer, 1, deferral.dueAt());
                defer.setString(2, deferral.runId().toString());
                defer.setString(3, owner);
                defer.setLong(4, deferral.leaseEpoch());
                defer.addBatch();
              }
              defer.executeBatch();
            }
          }
          return new StartResult(started, cancelled);
        });
  }

  /** Moves each schedule to its next fire, fenced by its lease; returns those that moved. */
  private List<ScheduleStart> advance(
      Connection connection, String owner, List<ScheduleStart> starts) throws SQLException {
    if (starts.isEmpty()) {
      return List.of();
    }
    List<ScheduleStart> kept = new ArrayList<>();
    try (PreparedStatement advance =
        connection.prepareStatement(
            "UPDATE schedules SET next_fire_at = ?, last_fire_at = ?, lease_owner = NULL,"
                + " lease_until = NULL WHERE id = ? AND lease_owner = ?"
                + " AND lease_epoch = ? AND enabled = TRUE")) {
      for (ScheduleStart start : starts) {
        dialect.setInstant(advance, 1, start.nextFireAt().orElse(null));
        dialect.setInstant(advance, 2, start.lastFireAt());
        advance.setString(3, start.scheduleId().toString());
        advance.setString(4, owner);
        advance.setLong(5, start.leaseEpoch());
        advance.addBatch();
      }
      int[] counts = advance.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0 || counts[i] == PreparedStatement.SUCCESS_NO_INFO) {
          kept.add(starts.get(i));
        }
      }
    }
    return kept;
  }

  private List<UUID> cancelRunning(Connection connection, UUID scheduleId, Instant now)
      throws SQLException {
    List<UUID> ids = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id FROM runs WHERE schedule_id = ? AND status = 'running' FOR UPDATE")) {
      select.setString(1, scheduleId.toString());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ids.add(UUID.fromString(rows.getString("id")));
        }
      }
    }
    try (PreparedStatement cancel =
        connection.prepareStatement(
            "UPDATE runs SET status = 'cancelled', finished_at = ?, error_code = 'overlap',"
                + " error_message = 'cancelled by a newer fire (overlap_policy cancel_running)',"
                + " callback_token_hash = NULL WHERE id = ? AND status = 'running'")) {
      for (UUID id : ids) {
        dialect.setInstant(cancel, 1, now);
        cancel.setString(2, id.toString());
        cancel.addBatch();
      }
      cancel.executeBatch();
    }
    return ids;
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

  private static String placeholders(int count) {
    return String.join(",", java.util.Collections.nCopies(count, "?"));
  }
}
