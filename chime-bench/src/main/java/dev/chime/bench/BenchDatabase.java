package dev.chime.bench;

import dev.chime.schedule.Schedule;
import dev.chime.server.config.ChimeConfig;
import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.Dialect;
import dev.chime.store.ScheduleStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The bench's own connection to the node's database: a second pool on the same URL (H2 shares one
 * engine between the connections of a JVM), for registering schedules, cleaning up and reading what
 * the node wrote. Opening it migrates the schema, so it can be cleaned before the node starts.
 */
final class BenchDatabase implements AutoCloseable {
  /**
   * The secrets key of every bench node: a bench database outlives the bench's temporary data
   * folders, and a node started on it with another key than the first would refuse to start. Seals
   * nothing of value.
   */
  static final String SECRETS_KEY = "YmVuY2gtb25seS1zZWNyZXRzLWtleS0tMzItYnl0ZXM=";

  private final Database db;
  private final Dialect dialect;

  private BenchDatabase(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  static BenchDatabase open(ChimeConfig config) {
    return new BenchDatabase(
        Database.open(
            new DatabaseSettings(
                config.dbUrl(), config.dbUser(), config.dbPassword(), 4, Duration.ofSeconds(10))));
  }

  Dialect dialect() {
    return dialect;
  }

  /** A connection of the bench's own pool, for reads the node's stores do not offer. */
  java.sql.Connection connection() throws SQLException {
    return db.dataSource().getConnection();
  }

  void insert(List<Schedule> schedules) {
    new ScheduleStore(db).insertAll(schedules);
  }

  /** Deletes earlier bench runs' schedules and their runs; returns how many schedules went. */
  int removeEarlierBenchRuns() {
    String bench = "SELECT id FROM schedules WHERE name LIKE '" + LoadPlan.NAME_PREFIX + "%'";
    return db.inTransaction(
        connection -> {
          try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM runs WHERE schedule_id IN (" + bench + ")");
            return statement.executeUpdate(
                "DELETE FROM schedules WHERE name LIKE '" + LoadPlan.NAME_PREFIX + "%'");
          }
        });
  }

  /**
   * On PostgreSQL, vacuums Chime's two busy tables before a measurement: every fire updates a
   * schedule row and a run row, and where autovacuum is off or behind (this project's machines run
   * PostgreSQL with {@code autovacuum = off}) the dead rows of earlier runs make every index scan
   * slower, by tenfold after a few benchmark runs. Returns whether autovacuum is on.
   */
  boolean vacuumIfPostgres() {
    if (dialect != Dialect.POSTGRESQL) {
      return true;
    }
    try (var connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("VACUUM ANALYZE runs");
      statement.execute("VACUUM ANALYZE schedules");
      try (ResultSet rows = statement.executeQuery("SHOW autovacuum")) {
        rows.next();
        return rows.getString(1).equals("on");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot vacuum the bench tables: " + e.getMessage(), e);
    }
  }

  /** On PostgreSQL, refreshes the planner's statistics once the bench's schedules are in. */
  void analyzeIfPostgres() {
    if (dialect != Dialect.POSTGRESQL) {
      return;
    }
    try (var connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("ANALYZE schedules");
      statement.execute("ANALYZE runs");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot analyze the bench tables: " + e.getMessage(), e);
    }
  }

  /** Enabled schedules that are not the bench's: they would add load of their own. */
  long otherEnabledSchedules() {
    return db.inTransaction(
        connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet rows =
                  statement.executeQuery(
                      "SELECT COUNT(*) FROM schedules WHERE enabled = TRUE AND name NOT LIKE '"
                          + LoadPlan.NAME_PREFIX
                          + "%'")) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  /**
   * Transactions committed in the whole database so far (every session's, not only the node's), on
   * PostgreSQL; empty elsewhere.
   */
  OptionalLong commits() {
    if (dialect != Dialect.POSTGRESQL) {
      return OptionalLong.empty();
    }
    return db.inTransaction(
        connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet rows =
                  statement.executeQuery(
                      "SELECT xact_commit FROM pg_stat_database"
                          + " WHERE datname = current_database()")) {
            return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
          }
        });
  }

  /** Run rows scheduled in {@code [from, to)}, counted by status. */
  Map<String, Long> runStatusCounts(Instant from, Instant to) {
    return db.inTransaction(
        connection -> {
          Map<String, Long> counts = new TreeMap<>();
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT status, COUNT(*) FROM runs WHERE scheduled_at >= ? AND scheduled_at < ?"
                      + " GROUP BY status")) {
            bindRange(statement, from, to);
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
              }
            }
          }
          return counts;
        });
  }

  /**
   * The runs scheduled in {@code [from, to)} that did not succeed, counted by {@code status
   * error_code}, each with one of their error messages.
   */
  Map<String, String> runFailures(Instant from, Instant to) {
    return db.inTransaction(
        connection -> {
          Map<String, String> failures = new TreeMap<>();
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT status, error_code, COUNT(*), MIN(error_message) FROM runs"
                      + " WHERE scheduled_at >= ? AND scheduled_at < ?"
                      + " AND status NOT IN ('success', 'queued', 'running')"
                      + " GROUP BY status, error_code")) {
            bindRange(statement, from, to);
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                failures.put(
                    rows.getString(1) + " " + rows.getString(2),
                    rows.getLong(3) + " (e.g. " + rows.getString(4) + ")");
              }
            }
          }
          return failures;
        });
  }

  /** The status of each run row scheduled in {@code [from, to)}, by run id. */
  Map<String, String> runStatuses(Instant from, Instant to) {
    return db.inTransaction(
        connection -> {
          Map<String, String> statuses = new HashMap<>();
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT id, status FROM runs WHERE scheduled_at >= ? AND scheduled_at < ?")) {
            bindRange(statement, from, to);
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                statuses.put(rows.getString(1), rows.getString(2));
              }
            }
          }
          return statuses;
        });
  }

  private void bindRange(PreparedStatement statement, Instant from, Instant to)
      throws SQLException {
    statement.setObject(1, bindable(from));
    statement.setObject(2, bindable(to));
  }

  /** Chime keeps UTC: MariaDB's DATETIME as a UTC wall time, the others as TIMESTAMPTZ. */
  Object bindable(Instant instant) {
    return dialect == Dialect.MARIADB
        ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC)
        : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  @Override
  public void close() {
    db.close();
  }
}
