package dev.chime.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

  String forUpdateSkipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  /**
   * A DELETE of at most {@code ?} runs matching {@code where}, taken in {@code orderBy} order; the
   * limit is bound after the parameters of {@code where}. MariaDB allows no LIMIT in an IN
   * subquery, but deletes with ORDER BY and LIMIT; the others delete by the ids a limited select
   * returns. PostgreSQL skips rows another node is deleting instead of waiting on them.
   */
  String deleteRunsLimited(String where, String orderBy) {
    if (this == MARIADB) {
      return "DELETE FROM runs WHERE " + where + " ORDER BY " + orderBy + " LIMIT ?";
    }
    return "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE "
        + where
        + " ORDER BY "
        + orderBy
        + " LIMIT ?"
        + (this == POSTGRESQL ? forUpdateSkipLocked() : "")
        + ")";
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
