package dev.chime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes old run history, a bounded batch per call so that no transaction holds many row locks for
 * long. Only finished runs are ever deleted: queued and running runs stay whatever their age. Where
 * {@code runs} is partitioned by day (PostgreSQL), old history goes a whole day at a time ({@link
 * #dropPartitionsOlderThan}) and only the default partition's runs are deleted by age row by row.
 */
public final class RetentionStore {
  private static final String FINISHED = "status NOT IN ('queued', 'running')";

  private final Database db;
  private final Dialect dialect;
  private final RunPartitions partitions;

  /**
   * The schedules the current sweep of {@link #trimPerSchedule} has still to trim, found by one
   * count over all runs when the sweep began: a long clean-up then reads the runs table once, not
   * once per batch.
   */
  private final ArrayDeque<String> toTrim = new ArrayDeque<>();

  private int toTrimKeep;

  public RetentionStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
    this.partitions = new RunPartitions(db);
  }

  /**
   * Where runs are partitioned by day: drops the partitions whose whole day is older than {@code
   * cutoff} and that hold no queued or running run (see {@link RunPartitions#dropOlderThan}).
   * Elsewhere does nothing.
   */
  public RunPartitions.Change dropPartitionsOlderThan(Instant cutoff) {
    return partitions.dropOlderThan(cutoff);
  }

  /**
   * Deletes at most {@code batchSize} finished runs that finished before {@code cutoff}, oldest
   * first, in one transaction; returns how many it deleted.
   */
  public int deleteOlderThan(Instant cutoff, int batchSize) {
    // partitioned, the days are dropped whole: only runs outside them are deleted one by one
    String table = partitions.active() ? RunPartitions.DEFAULT_PARTITION : "runs";
    Dialect.LimitedDelete delete =
        dialect.deleteRunsLimited(table, "finished_at < ? AND " + FINISHED, "finished_at, id");
    return db.inTransaction(
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(delete.sql())) {
            delete.bind(
                statement,
                (where, i) -> {
                  dialect.setInstant(where, i, cutoff);
                  return i + 1;
                },
                batchSize);
            return statement.executeUpdate();
          }
        });
  }

  /**
   * Deletes at most {@code batchSize} finished runs of schedules that have more than {@code
   * keepPerSchedule} finished runs: each such schedule keeps its newest {@code keepPerSchedule}
   * finished runs, in the order the API lists them (scheduled instant, then id, newest first), plus
   * all its queued and running runs. One short transaction per schedule; returns how many it
   * deleted. Fewer than {@code batchSize} means a sweep over all schedules has ended.
   */
  public synchronized int trimPerSchedule(int keepPerSchedule, int batchSize) {
    if (toTrim.isEmpty() || toTrimKeep != keepPerSchedule) {
      toTrim.clear();
      toTrim.addAll(schedulesOverLimit(keepPerSchedule));
      toTrimKeep = keepPerSchedule;
    }
    int deleted = 0;
    while (deleted < batchSize && !toTrim.isEmpty()) {
      int budget = batchSize - deleted;
      int trimmed = trimSchedule(toTrim.peek(), keepPerSchedule, budget);
      deleted += trimmed;
      if (trimmed < budget) {
        toTrim.poll();
      }
    }
    return deleted;
  }

  /**
   * The schedules with more than {@code keep} runs of any status. Counting all runs needs only the
   * (schedule_id, scheduled_at, attempt, id) index; a schedule with enough queued or running runs
   * may pass here and then find nothing to trim.
   */
  private List<String> schedulesOverLimit(int keep) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT schedule_id FROM runs GROUP BY schedule_id HAVING COUNT(*) > ?")) {
            select.setInt(1, keep);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                ids.add(rows.getString(1));
              }
            }
            return ids;
          }
        });
  }

  /** Deletes up to {@code limit} of the schedule's finished runs beyond its newest {@code keep}. */
  private int trimSchedule(String scheduleId, int keep, int limit) {
    return db.inTransaction(
        connection -> {
          Optional<RunPosition> firstBeyond = firstBeyond(connection, scheduleId, keep);
          if (firstBeyond.isEmpty()) {
            return 0;
          }
          RunPosition cutoff = firstBeyond.get();
          // "scheduled_at <= ?" repeats what the OR implies, so the index scan ends at the cutoff
          // (and partitions of later days are not read at all)
          Dialect.LimitedDelete delete =
              dialect.deleteRunsLimited(
                  "runs",
                  "schedule_id = ? AND "
                      + FINISHED
                      + " AND scheduled_at <= ? AND (scheduled_at < ? OR attempt < ?"
                      + " OR (attempt = ? AND id <= ?))",
                  "scheduled_at, attempt, id");
          try (PreparedStatement statement = connection.prepareStatement(delete.sql())) {
            delete.bind(
                statement,
                (where, i) -> {
                  where.setString(i, scheduleId);
                  dialect.setInstant(where, i + 1, cutoff.scheduledAt());
                  dialect.setInstant(where, i + 2, cutoff.scheduledAt());
                  where.setInt(i + 3, cutoff.attempt());
                  where.setInt(i + 4, cutoff.attempt());
                  where.setString(i + 5, cutoff.id());
                  return i + 6;
                },
                limit);
            return statement.executeUpdate();
          }
        });
  }

  /** The newest finished run after the {@code keep} newest ones, if the schedule has one. */
  private Optional<RunPosition> firstBeyond(Connection connection, String scheduleId, int keep)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT scheduled_at, attempt, id FROM runs WHERE schedule_id = ? AND "
                + FINISHED
                + " ORDER BY scheduled_at DESC, attempt DESC, id DESC LIMIT 1 OFFSET ?")) {
      select.setString(1, scheduleId);
      select.setInt(2, keep);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new RunPosition(
                dialect.getInstant(rows, "scheduled_at").orElseThrow(),
                rows.getInt("attempt"),
                rows.getString("id")));
      }
    }
  }

  /** A run's place in the API's order: newest scheduled instant, then highest attempt, then id. */
  private record RunPosition(Instant scheduledAt, int attempt, String id) {}
}
