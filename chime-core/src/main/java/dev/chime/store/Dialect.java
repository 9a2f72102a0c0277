package dev.chime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * What differs between the databases Chime runs on. Chosen by the JDBC URL alone. Instants are
 * always bound by Chime as UTC values, never left to the JVM's or the session's time zone.
 */
public enum Dialect {
  H2("h2"),
  POSTGRESQL("postgresql"),
  MARIADB("mariadb");

  private final String migrationFolder;

  Dialect(String migrationFolder) {
    this.migrationFolder = migrationFolder;
  }

  public static Dialect fromUrl(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
      return MARIADB;
    }
    throw new IllegalArgumentException(
        "unsupported database URL '"
            + jdbcUrl
            + "': Chime runs on jdbc:h2:, jdbc:postgresql: and jdbc:mariadb: (or jdbc:mysql:)");
  }

  String migrationLocation() {
    return "classpath:db/migration/" + migrationFolder;
  }

  void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
    if (value == null) {
      statement.setNull(index, this == MARIADB ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
    } else if (this == MARIADB) {
      statement.setObject(index, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
    } else {
      statement.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }
  }

  Optional<Instant> getInstant(ResultSet rows, String column) throws SQLException {
    if (this == MARIADB) {
      LocalDateTime value = rows.getObject(column, LocalDateTime.class);
      return Optional.ofNullable(value).map(v -> v.toInstant(ZoneOffset.UTC));
    }
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return Optional.ofNullable(value).map(OffsetDateTime::toInstant);
  }

  /**
   * The database's own clock as a value of this dialect's instant columns: UTC on MariaDB, whose
   * columns hold UTC without a zone. On PostgreSQL and H2 it is the time the transaction began.
   */
  String currentTimestamp() {
    return this == MARIADB ? "UTC_TIMESTAMP(6)" : "CURRENT_TIMESTAMP(6)";
  }

  /**
   * Whether a committed change can wake the other nodes at once: PostgreSQL's {@code LISTEN} and
   * {@code NOTIFY}. Elsewhere the nodes learn of changes at their next poll.
   */
  boolean hasListenNotify() {
    return this == POSTGRESQL;
  }

  /** The suffix that locks the selected rows and passes over rows another node has locked. */
  /**
   * Locks the selected rows against other writers; on PostgreSQL without blocking inserts of rows
   * that reference them by foreign key.
   */
  String forRowUpdate() {
    return this == POSTGRESQL ? " FOR NO KEY UPDATE" : " FOR UPDATE";
  }

  /**
   * A statement taking, until the transaction ends, the lock that serializes the starts of one
   * tenant's runs ({@code ?} is its id). On PostgreSQL an advisory lock, which no foreign-key check
   * waits on; elsewhere the tenant's row.
   */
  String lockTenant() {
    return this == POSTGRESQL
        ? "SELECT pg_advisory_xact_lock(hashtext('chime-tenant-starts:' || ?))"
        : "SELECT id FROM tenants WHERE id = ? FOR UPDATE";
  }

  /**
   * A statement taking, until the transaction ends, the lock that serializes switching on a
   * tenant's schedules, so its count of enabled schedules is exact. On PostgreSQL an advisory lock
   * in the two-key space (apart from every one-key lock Chime takes); elsewhere the tenant's row.
   */
  String lockTenantSchedules() {
    return this == POSTGRESQL
        ? "SELECT pg_advisory_xact_lock(1, hashtext(?))"
        : "SELECT id FROM tenants WHERE id = ? FOR UPDATE";
  }

  String forUpdateSkipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  /**
   * A DELETE of at most a limit of rows of {@code table} (runs, or one of its partitions) matching
   * {@code where}, taken in {@code orderBy} order. MariaDB allows no LIMIT in an IN subquery, but
   * deletes with ORDER BY and LIMIT; H2 deletes by the ids a limited select returns. PostgreSQL
   * selects them once, skipping rows another node is deleting instead of waiting on them, and
   * repeats {@code where} on the delete itself, so that on a partitioned table it reads the
   * matching rows of the partitions that can hold them, not every row of every partition.
   */
  LimitedDelete deleteRunsLimited(String table, String where, String orderBy) {
    return switch (this) {
      case MARIADB ->
          new LimitedDelete(
              "DELETE FROM " + table + " WHERE " + where + " ORDER BY " + orderBy + " LIMIT ?",
              false);
      case H2 ->
          new LimitedDelete(
              "DELETE FROM "
                  + table
                  + " WHERE id IN (SELECT id FROM "
                  + table
                  + " WHERE "
                  + where
                  + " ORDER BY "
                  + orderBy
                  + " LIMIT ?)",
              false);
      // materialized: selected once, however the delete is planned (a subquery scanned again
      // would skip the rows this statement has just deleted and return more)
      case POSTGRESQL ->
          new LimitedDelete(
              "WITH doomed AS MATERIALIZED (SELECT id FROM "
                  + table
                  + " WHERE "
                  + where
                  + " ORDER BY "
                  + orderBy
                  + " LIMIT ?"
                  + forUpdateSkipLocked()
                  + ") DELETE FROM "
                  + table
                  + " WHERE "
                  + where
                  + " AND id IN (SELECT id FROM doomed)",
              true);
    };
  }

  /** Binds one copy of a condition's parameters from an index; returns the next index. */
  @FunctionalInterface
  interface Binder {
    int bind(PreparedStatement statement, int index) throws SQLException;
  }

  /**
   * A limited delete's SQL: its condition, its limit, and the condition again if it is repeated.
   */
  record LimitedDelete(String sql, boolean whereAfterLimit) {
    void bind(PreparedStatement statement, Binder where, int limit) throws SQLException {
      int next = where.bind(statement, 1);
      statement.setInt(next, limit);
      if (whereAfterLimit) {
        where.bind(statement, next + 1);
      }
    }
  }

  /**
   * A test that {@code column} is one of {@code count} values, bound by {@link #bindOneOf}. On
   * PostgreSQL one array parameter: every chunk then runs the same statement, whose plan the server
   * keeps, where planning an IN list over many partitions costs more than the read itself.
   */
  String oneOf(String column, int count) {
    return this == POSTGRESQL
        ? column + " = ANY(?)"
        : column + " IN (" + Statements.placeholders(count) + ")";
  }

  /** Binds the values of {@link #oneOf} from {@code index}; returns the next parameter's index. */
  int bindOneOf(Connection connection, PreparedStatement statement, int index, List<String> values)
      throws SQLException {
    if (this == POSTGRESQL) {
      statement.setArray(index, connection.createArrayOf("varchar", values.toArray()));
      return index + 1;
    }
    for (String value : values) {
      statement.setString(index++, value);
    }
    return index;
  }

  /**
   * The column of {@code runs} to find a schedule's queued and running runs by, beside a test of
   * their status. On H2 {@code active_schedule_id} (its V17), which holds the schedule only while a
   * run is queued or running, so its index keeps no ended runs; elsewhere {@code schedule_id} with
   * {@code ix_runs_schedule_status}.
   */
  String inFlightScheduleColumn() {
    return this == H2 ? "active_schedule_id" : "schedule_id";
  }

  /**
   * The test that a run of {@code alias} is queued and due by the one parameter it binds. On H2
   * (its V20) a range of {@code queued_due_at}, which holds the due time only while a run is
   * queued, read from a lower bound so that the look never walks the index's NULL entries (every
   * run that is not queued); elsewhere status and {@code due_at}.
   */
  String queuedDueBy(String alias) {
    return this == H2
        ? alias
            + ".queued_due_at >= TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00' AND "
            + alias
            + ".queued_due_at <= ?"
        : alias + ".status = 'queued' AND " + alias + ".due_at <= ?";
  }

  /** The column of {@link #queuedDueBy} to order queued runs by when they fall due. */
  String queuedDueColumn(String alias) {
    return alias + (this == H2 ? ".queued_due_at" : ".due_at");
  }

  /**
   * Whether a run is found by its key through the instant and schedule it names rather than by an
   * index of {@code run_key}: H2 has none from its V17 on, and from V18 its unique key of runs
   * leads with the instant, which is then matched exactly.
   */
  boolean findsRunKeysBySchedule() {
    return this == H2;
  }

  /**
   * Whether {@code runs} may be a table partitioned by day (PostgreSQL from schema version 5),
   * whose old history retention drops a partition at a time.
   */
  boolean partitionsRuns() {
    return this == POSTGRESQL;
  }

  /**
   * Locks the selected rows of the table named {@code alias} in a join, passing over rows another
   * node holds: PostgreSQL must be told which table to lock; the others lock the joined rows.
   */
  String forUpdateSkipLocked(String alias) {
    return this == POSTGRESQL ? " FOR UPDATE OF " + alias + " SKIP LOCKED" : forUpdateSkipLocked();
  }

  /** Locks the selected rows of the table named {@code alias} in a join. */
  String forUpdate(String alias) {
    return this == POSTGRESQL ? " FOR UPDATE OF " + alias : " FOR UPDATE";
  }

  /**
   * A range condition on a text column and its bound: {@code column + operator + " ?"} with {@code
   * bound} bound to it.
   */
  record Range(String operator, String bound) {}

  /**
   * The values sorting before {@code value}, as an index range. H2 reads a range up to and
   * including entries equal to its bound and then drops them, so {@code < value} would read every
   * entry equal to it; there the range ends at the last text of at most {@code maxLength}
   * characters before {@code value} instead. Empty when nothing sorts before it.
   */
  Optional<Range> before(String value, int maxLength) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (this != H2) {
      return Optional.of(new Range("<", value));
    }
    int last = value.length() - 1;
    char end = value.charAt(last);
    if (end == Character.MIN_VALUE) {
      return Optional.of(new Range("<=", value.substring(0, last)));
    }
    return Optional.of(
        new Range(
            "<=",
            value.substring(0, last) + (char) (end - 1) + "\uffff".repeat(Math.max(1, maxLength))));
  }

  /**
   * The values sorting after {@code value}, as an index range; on H2 from the first text after it
   * (see {@link #before}).
   */
  Range after(String value) {
    return this == H2 ? new Range(">=", value + Character.MIN_VALUE) : new Range(">", value);
  }

  /**
   * Whether a {@code VARCHAR(n)} holds n UTF-16 units rather than n characters: on H2, a Java
   * database, a character beyond U+FFFF (most emoji) takes two of them.
   */
  boolean countsUtf16Units() {
    return this == H2;
  }

  /** The case-insensitive substring test used by the name filter. */
  String containsIgnoreCase(String column) {
    return "LOWER(" + column + ") LIKE ? ESCAPE '!'";
  }

  /**
   * Whether the database aborted the transaction to break a deadlock or a serialization conflict,
   * so running it again may succeed: SQL state 40001 or 40P01, MariaDB's error 1213, H2's 40001.
   */
  boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state) || sql.getErrorCode() == 1213) {
          return true;
        }
      }
    }
    return false;
  }

  boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if ("23505".equals(state) || sql.getErrorCode() == 1062) {
          return true;
        }
      }
    }
    return false;
  }
}
