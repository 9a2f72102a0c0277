package dev.chime.store;

import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import dev.chime.audit.AuditQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The audit trail. Events are written by the stores inside the transaction of the change they
 * record ({@link #insert}), so a change and its event are committed together or not at all; they
 * are read per tenant, newest first.
 */
public final class AuditStore {
  private static final String COLUMNS =
      "id, tenant_id, occurred_at, actor_id, actor_name, action, object_type, object_id,"
          + " before_json, after_json";

  private final Database db;
  private final Dialect dialect;

  public AuditStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** Writes {@code event} in the caller's transaction. */
  static void insert(Connection connection, Dialect dialect, AuditEvent event) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO audit_events (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)")) {
      insert.setString(1, event.id().toString());
      insert.setString(2, event.tenantId());
      dialect.setInstant(insert, 3, event.at());
      insert.setString(4, event.actor().tokenId().map(UUID::toString).orElse(null));
      insert.setString(5, event.actor().name());
      insert.setString(6, event.action());
      insert.setString(7, event.objectType());
      insert.setString(8, event.objectId());
      insert.setString(9, event.before().orElse(null));
      insert.setString(10, event.after().orElse(null));
      insert.executeUpdate();
    }
  }

  public Page<AuditEvent> list(String tenantId, AuditQuery query) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE tenant_id = ?");
    List<Object> params = new ArrayList<>();
    params.add(tenantId);
    query.objectId().ifPresent(id -> add(sql, params, " AND object_id = ?", id));
    query.actorId().ifPresent(id -> add(sql, params, " AND actor_id = ?", id));
    query.action().ifPresent(action -> add(sql, params, " AND action = ?", action));
    query.since().ifPresent(at -> add(sql, params, " AND occurred_at >= ?", at));
    query.until().ifPresent(at -> add(sql, params, " AND occurred_at < ?", at));
    Optional<Cursor> after = query.cursor().map(Cursor::decode);
    after.ifPresent(
        cursor -> {
          sql.append(" AND occurred_at <= ? AND (occurred_at < ? OR id < ?)");
          params.add(cursor.at());
          params.add(cursor.at());
          params.add(cursor.id().toString());
        });
    sql.append(" ORDER BY occurred_at DESC, id DESC").append(Statements.limit(query.limit() + 1));
    List<AuditEvent> rows =
        db.inTransaction(
            connection -> {
              try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                  if (params.get(i) instanceof java.time.Instant at) {
                    dialect.setInstant(statement, i + 1, at);
                  } else {
                    statement.setString(i + 1, params.get(i).toString());
                  }
                }
                List<AuditEvent> events = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                  while (result.next()) {
                    events.add(read(result));
                  }
                }
                return events;
              }
            });
    if (rows.size() <= query.limit()) {
      return new Page<>(rows, Optional.empty());
    }
    List<AuditEvent> page = rows.subList(0, query.limit());
    AuditEvent last = page.get(page.size() - 1);
    return new Page<>(page, Optional.of(new Cursor(last.at(), last.id()).encode()));
  }

  private static void add(StringBuilder sql, List<Object> params, String condition, Object value) {
    sql.append(condition);
    params.add(value);
  }

  private AuditEvent read(ResultSet rows) throws SQLException {
    String actorId = rows.getString("actor_id");
    return new AuditEvent(
        UUID.fromString(rows.getString("id")),
        rows.getString("tenant_id"),
        dialect.getInstant(rows, "occurred_at").orElseThrow(),
        new Actor(Optional.ofNullable(actorId).map(UUID::fromString), rows.getString("actor_name")),
        rows.getString("action"),
        rows.getString("object_type"),
        rows.getString("object_id"),
        Optional.ofNullable(rows.getString("before_json")),
        Optional.ofNullable(rows.getString("after_json")));
  }
}
