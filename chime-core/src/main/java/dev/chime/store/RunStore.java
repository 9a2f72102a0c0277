package dev.chime.store;

import dev.chime.ConflictException;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
          + " trace_id, created_at";

  private final Database db;
  private final Dialect dialect;

  public RunStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /**
   * Adds a queued run for an existing schedule, such as a run-now; false when the schedule does not
   * exist in the tenant (it may have been deleted a moment ago).
   */
  public boolean insertQueued(Run run) {
    if (run.status() != RunStatus.QUEUED) {
      throw new IllegalArgumentException("only a queued run is inserted here, got " + run.status());
    }
    try {
      return db.inTransaction(
          connection -> {
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
            insert(connection, dialect, List.of(run));
            return true;
          });
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        throw new ConflictException("", "a run with key " + run.runKey() + " already exists");
      }
      throw e;
    }
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
  public Page<Run> listBySchedule(
      String tenantId, UUID scheduleId, Optional<String> cursor, int limit) {
    Optional<Cursor> after = cursor.map(Cursor::decode);
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM runs WHERE schedule_id = ? AND tenant_id = ?"
            + (after.isPresent() ? " AND (scheduled_at < ? OR (scheduled_at = ? AND id < ?))" : "")
            + " ORDER BY scheduled_at DESC, id DESC LIMIT ?";
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
                  statement.setString(i++, after.get().id().toString());
                }
                statement.setInt(i, limit + 1);
                return readAll(statement, dialect);
              }
            });
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<Run> page = rows.subList(0, limit);
    Run last = page.get(page.size() - 1);
    return new Page<>(page, Optional.of(new Cursor(last.scheduledAt(), last.id()).encode()));
  }

  static void insert(Connection connection, Dialect dialect, List<Run> runs) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO runs ("
                + COLUMNS
                + ", lease_epoch) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)")) {
      for (Run run : runs) {
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
        statement.setString(16, run.traceId());
        dialect.setInstant(statement, 17, run.createdAt());
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

  private static Run read(ResultSet rows, Dialect dialect) throws SQLException {
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
