package dev.chime.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** Counts for watching a whole installation: schedules by state, and work due but not claimed. */
public final class StatsStore {
  private final Database db;
  private final Dialect dialect;

  public StatsStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /**
   * Schedules enabled and disabled, and the enabled ones due by {@code now} that no node holds: how
   * many, and since when the oldest of them has been due.
   */
  public record Counts(
      long enabled, long disabled, long dueUnclaimed, Optional<Instant> oldestDue) {}

  public Counts counts(Instant now) {
    return db.inTransaction(
        connection -> {
          long enabled = 0;
          long disabled = 0;
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT enabled, COUNT(*) AS n FROM schedules GROUP BY enabled");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              if (rows.getBoolean("enabled")) {
                enabled = rows.getLong("n");
              } else {
                disabled = rows.getLong("n");
              }
            }
          }
          // the claim's own index (enabled, next_fire_at) reads only what is due
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT COUNT(*) AS n, MIN(next_fire_at) AS oldest FROM schedules"
                      + " WHERE enabled = ? AND next_fire_at <= ?"
                      + " AND (lease_owner IS NULL OR lease_until < ?)")) {
            select.setBoolean(1, true);
            dialect.setInstant(select, 2, now);
            dialect.setInstant(select, 3, now);
            try (ResultSet rows = select.executeQuery()) {
              rows.next();
              return new Counts(
                  enabled, disabled, rows.getLong("n"), dialect.getInstant(rows, "oldest"));
            }
          }
        });
  }
}
