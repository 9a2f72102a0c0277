package dev.chime.store;

import dev.chime.store.EngineStore.ClaimedRun;
import dev.chime.store.EngineStore.ClaimedSchedule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The engine's claims: due schedules and queued runs, in batches, each leased to the claiming node
 * with a new epoch that every later write of that work is fenced by.
 */
final class Claims {
  /**
   * The order of enabled schedules by when they fall due, for every look at them in that order.
   * {@code enabled} comes first (a constant in those looks) because H2 reads an index in its order
   * only when the index starts with the ORDER BY's first column: ordered by {@code next_fire_at}
   * alone, H2 read every due schedule, thousands under a backlog, and sorted them to keep the first
   * few hundred. PostgreSQL and MariaDB make the same plan either way.
   */
  static final String DUE_ORDER = " ORDER BY enabled, next_fire_at";

  /**
   * The select of due schedules a claim leases, without its row locks; its parameters, in order:
   * due by, due from, now (a lease that ran out before it is free), the claiming node, the instant
   * before which that node's own leases are taken back (its restart), and the limit.
   *
   * <p>It orders by {@link #DUE_ORDER}.
   */
  static final String DUE_SCHEDULES =
      "SELECT id FROM schedules WHERE enabled = TRUE AND next_fire_at <= ?"
          + " AND next_fire_at >= ?"
          + " AND (lease_until IS NULL OR lease_until < ?"
          + " OR (lease_owner = ? AND lease_until < ?)"
          + ")"
          + DUE_ORDER
          + " LIMIT ?";

  /**
   * The columns a claim reads of a due schedule: all of them are in H2's index of due schedules
   * (its V19), so the claim reads that index alone and never a schedule's row. The definition comes
   * from {@link Definitions}, by {@code definition_version}.
   */
  static final String SCHEDULE_CLAIM_COLUMNS =
      "id, tenant_id, next_fire_at, last_fire_at, lease_epoch, definition_version";

  /**
   * The select of due schedules with the columns a claim reads, then {@code lock}; its parameters
   * are those of {@link #DUE_SCHEDULES}.
   */
  static String claimSelect(String lock) {
    return DUE_SCHEDULES.replace("SELECT id ", "SELECT " + SCHEDULE_CLAIM_COLUMNS + " ") + lock;
  }

  /**
   * How many characters of definitions a node keeps: about a sixteenth of its heap (two bytes a
   * character), at least a million. A claim takes its due schedules in the order they fall due, the
   * same order every cycle, so a cache smaller than the definitions of all enabled schedules misses
   * on nearly every claim: the claim then reads their rows, as it did before the cache.
   */
  private static final long DEFINITION_CHARS =
      Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 32);

  private final Database db;
  private final Dialect dialect;
  private final Finisher finisher;
  private final Definitions definitions = new Definitions(DEFINITION_CHARS);

  Claims(Database db, Finisher finisher) {
    this.db = db;
    this.dialect = db.dialect();
    this.finisher = finisher;
  }

  /** A due schedule as a claim reads it, before its definition is looked up. */
  private record DueRow(
      UUID id,
      String tenantId,
      Instant nextFireAt,
      Optional<Instant> lastFireAt,
      long leaseEpoch,
      long definitionVersion) {}

  /**
   * Claims up to {@code limit} enabled schedules due by {@code dueBy} whose lease is free or ran
   * out before {@code now}, in order of their next fire, leasing them to {@code owner} until {@code
   * leaseUntil}. Rows another node is claiming at the same moment are passed over.
   */
  List<ClaimedSchedule> claimSchedules(
      String owner, Instant dueBy, Instant now, Instant leaseUntil, int limit, Instant ownBefore) {
    return claimSchedules(owner, Instant.EPOCH, dueBy, now, leaseUntil, limit, ownBefore);
  }

  /**
   * As {@link #claimSchedules(String, Instant, Instant, Instant, int, Instant)}, looking only at
   * schedules due from {@code dueFrom}: a node that already claimed everything due before it passes
   * over its own held rows instead of reading them again at every claim.
   */
  List<ClaimedSchedule> claimSchedules(
      String owner,
      Instant dueFrom,
      Instant dueBy,
      Instant now,
      Instant leaseUntil,
      int limit,
      Instant ownBefore) {
    // ownBefore: a node started again under the same id takes back at once the leases it took
    // before it started (they run out before ownBefore); those it took since, it holds
    String due = DUE_SCHEDULES + dialect.forUpdateSkipLocked();
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
              bindDue(claim, 3, dueBy, dueFrom, now, owner, ownBefore, limit);
              return withDefinitions(connection, readDue(claim, 0));
            }
          }
          // On H2 the select takes no row locks: the embedded database has one node, whose engine
          // thread is its only claimer, and a row lock costs H2 a write of the row (and again at
          // commit). Elsewhere the rows are locked, skipping those another node is claiming.
          String select = claimSelect(dialect == Dialect.H2 ? "" : dialect.forUpdateSkipLocked());
          List<ClaimedSchedule> selected;
          try (PreparedStatement statement = connection.prepareStatement(select)) {
            bindDue(statement, 1, dueBy, dueFrom, now, owner, ownBefore, limit);
            selected = withDefinitions(connection, readDue(statement, 1));
          }
          return leaseUnchanged(connection, owner, leaseUntil, selected);
        });
  }

  /**
   * In the caller's transaction, selects up to {@code limit} schedules due as {@link
   * #claimSchedules} claims them, locking them except on H2 (on PostgreSQL without blocking inserts
   * of runs that reference them), with the epochs their rows have now. Nothing is written: the
   * caller starts them or {@link #lease}s them in the same transaction.
   */
  List<ClaimedSchedule> selectDue(
      Connection connection,
      String owner,
      Instant dueFrom,
      Instant dueBy,
      Instant now,
      int limit,
      Instant ownBefore)
      throws SQLException {
    String lock =
        switch (dialect) {
          case H2 -> "";
          case POSTGRESQL -> " FOR NO KEY UPDATE SKIP LOCKED";
          default -> dialect.forUpdateSkipLocked();
        };
    try (PreparedStatement statement = connection.prepareStatement(claimSelect(lock))) {
      bindDue(statement, 1, dueBy, dueFrom, now, owner, ownBefore, limit);
      return withDefinitions(connection, readDue(statement, 0));
    }
  }

  /**
   * Leases schedules {@link #selectDue} read, in the caller's transaction, each only if its row
   * still has the epoch read; returns those leased, with their new epochs.
   */
  List<ClaimedSchedule> lease(
      Connection connection, String owner, Instant leaseUntil, List<ClaimedSchedule> read)
      throws SQLException {
    List<ClaimedSchedule> bumped = new ArrayList<>();
    for (ClaimedSchedule row : read) {
      bumped.add(
          new ClaimedSchedule(
              row.id(),
              row.tenantId(),
              row.triggerJson(),
              row.targetJson(),
              row.payloadJson(),
              row.policyJson(),
              row.nextFireAt(),
              row.lastFireAt(),
              row.leaseEpoch() + 1));
    }
    return leaseUnchanged(connection, owner, leaseUntil, bumped);
  }

  /**
   * Leases the selected schedules, each only if its row still has the epoch the select read: a row
   * changed in between (an edit bumps the epoch) is left out of the claim, and the change's wake-up
   * claims it again. Where the select locked its rows every lease is written.
   */
  private List<ClaimedSchedule> leaseUnchanged(
      Connection connection, String owner, Instant leaseUntil, List<ClaimedSchedule> selected)
      throws SQLException {
    if (selected.isEmpty()) {
      return selected;
    }
    List<ClaimedSchedule> ordered = Statements.inIdOrder(selected, ClaimedSchedule::id);
    Set<UUID> taken = new HashSet<>();
    try (PreparedStatement lease =
        connection.prepareStatement(
            "UPDATE schedules SET lease_owner = ?, lease_until = ?,"
                + " lease_epoch = lease_epoch + 1 WHERE id = ? AND lease_epoch = ?")) {
      for (ClaimedSchedule row : ordered) {
        lease.setString(1, owner);
        dialect.setInstant(lease, 2, leaseUntil);
        lease.setString(3, row.id().toString());
        lease.setLong(4, row.leaseEpoch() - 1);
        lease.addBatch();
      }
      int[] counts = lease.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (Statements.changed(counts[i])) {
          taken.add(ordered.get(i).id());
        }
      }
    }
    return selected.stream().filter(row -> taken.contains(row.id())).toList();
  }

  /** Binds the parameters of the claim's select of due schedules, from {@code first} on. */
  private void bindDue(
      PreparedStatement statement,
      int first,
      Instant dueBy,
      Instant dueFrom,
      Instant now,
      String owner,
      Instant ownBefore,
      int limit)
      throws SQLException {
    int i = first;
    dialect.setInstant(statement, i++, dueBy);
    dialect.setInstant(statement, i++, dueFrom);
    dialect.setInstant(statement, i++, now);
    statement.setString(i++, owner);
    dialect.setInstant(statement, i++, ownBefore);
    statement.setInt(i, limit);
  }

  private List<DueRow> readDue(PreparedStatement statement, int epochBump) throws SQLException {
    List<DueRow> result = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        result.add(
            new DueRow(
                UUID.fromString(rows.getString("id")),
                rows.getString("tenant_id"),
                dialect.getInstant(rows, "next_fire_at").orElseThrow(),
                dialect.getInstant(rows, "last_fire_at"),
                rows.getLong("lease_epoch") + epochBump,
                rows.getLong("definition_version")));
      }
    }
    return result;
  }

  /**
   * The due rows with their definitions: from the cache where it holds their version, the others
   * read in this transaction. A row edited between the two reads has a newer version and a newer
   * lease epoch than the claim read; its definition is then the newer one, and its fire, fenced by
   * the older epoch, writes nothing and is claimed again with the edit.
   */
  private List<ClaimedSchedule> withDefinitions(Connection connection, List<DueRow> due)
      throws SQLException {
    Map<UUID, Definitions.Definition> found = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (DueRow row : due) {
      Optional<Definitions.Definition> held = definitions.get(row.id(), row.definitionVersion());
      if (held.isPresent()) {
        found.put(row.id(), held.get());
      } else {
        missing.add(row.id().toString());
      }
    }
    for (List<String> part : Statements.parts(missing)) {
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT id, definition_version, trigger_json, target_json, payload_json, policy_json"
                  + " FROM schedules WHERE "
                  + dialect.oneOf("id", part.size()))) {
        dialect.bindOneOf(connection, select, 1, part);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            UUID id = UUID.fromString(rows.getString("id"));
            Definitions.Definition definition =
                new Definitions.Definition(
                    rows.getLong("definition_version"),
                    rows.getString("trigger_json"),
                    rows.getString("target_json"),
                    rows.getString("payload_json"),
                    rows.getString("policy_json"));
            definitions.put(id, definition);
            found.put(id, definition);
          }
        }
      }
    }
    List<ClaimedSchedule> claimed = new ArrayList<>(due.size());
    for (DueRow row : due) {
      Definitions.Definition definition = found.get(row.id());
      if (definition == null) {
        continue; // deleted between the two reads: nothing to fire
      }
      claimed.add(
          new ClaimedSchedule(
              row.id(),
              row.tenantId(),
              definition.triggerJson(),
              definition.targetJson(),
              definition.payloadJson(),
              definition.policyJson(),
              row.nextFireAt(),
              row.lastFireAt(),
              row.leaseEpoch()));
    }
    return claimed;
  }

  /**
   * Leases the claimed runs (locked by the claim's select) in one statement: by id, within the span
   * of their instants, so that on runs partitioned by day it reads only the days they are in.
   */
  private void leaseRuns(Connection connection, String owner, Instant leaseUntil, List<RunRef> runs)
      throws SQLException {
    if (runs.isEmpty()) {
      return;
    }
    Instant earliest = runs.stream().map(RunRef::scheduledAt).min(Instant::compareTo).orElseThrow();
    Instant latest = runs.stream().map(RunRef::scheduledAt).max(Instant::compareTo).orElseThrow();
    try (PreparedStatement lease =
        connection.prepareStatement(
            "UPDATE runs SET lease_owner = ?, lease_until = ?, lease_epoch = lease_epoch + 1"
                + " WHERE "
                + dialect.oneOf("id", runs.size())
                + " AND scheduled_at BETWEEN ? AND ?")) {
      lease.setString(1, owner);
      dialect.setInstant(lease, 2, leaseUntil);
      int i =
          dialect.bindOneOf(
              connection, lease, 3, runs.stream().map(r -> r.runId().toString()).toList());
      dialect.setInstant(lease, i, earliest.minusSeconds(1));
      dialect.setInstant(lease, i + 1, latest.plusSeconds(1));
      lease.executeUpdate();
    }
  }

  /**
   * The look for queued runs due by its first parameter whose lease is free (its second) or this
   * node's own from before it started (its third and fourth), the earliest first.
   */
  static String dueRunsSelect(Dialect dialect, int limit) {
    return "SELECT "
        + Finisher.CLOSING_COLUMNS
        + ", r.due_at, r.trace_id, r.lease_epoch, s.target_json, s.payload_json"
        + " FROM runs r JOIN schedules s ON s.id = r.schedule_id"
        + " WHERE "
        + dialect.queuedDueBy("r")
        // a disabled schedule's own runs wait; runs asked for by hand still go
        + " AND (s.enabled = TRUE OR r.origin = 'manual')"
        + " AND (r.lease_until IS NULL OR r.lease_until < ?"
        + " OR (r.lease_owner = ? AND r.lease_until < ?)"
        + ") ORDER BY "
        + dialect.queuedDueColumn("r")
        + Statements.limit(limit)
        + dialect.forUpdateSkipLocked("r");
  }

  /** Claims queued runs due by {@code dueBy}, as {@link #claimSchedules} does for schedules. */
  List<ClaimedRun> claimRuns(
      String owner, Instant dueBy, Instant now, Instant leaseUntil, int limit, Instant ownBefore) {
    return db.inTransaction(
        connection -> {
          List<ClaimedRun> selected = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(dueRunsSelect(dialect, limit))) {
            int i = 1;
            dialect.setInstant(select, i++, dueBy);
            dialect.setInstant(select, i++, now);
            select.setString(i++, owner);
            dialect.setInstant(select, i, ownBefore);
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
          leaseRuns(connection, owner, leaseUntil, selected.stream().map(ClaimedRun::ref).toList());
          return selected;
        });
  }
}
