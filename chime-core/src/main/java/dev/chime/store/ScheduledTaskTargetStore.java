package dev.chime.store;

import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.TargetJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Each tenant's target for its scheduled tasks (the older scheduled-tasks API): one HTTP target,
 * given to every task the tenant creates or changes. No row: the tenant has none.
 */
public final class ScheduledTaskTargetStore {
  private final Database db;
  private final Dialect dialect;

  public ScheduledTaskTargetStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** The tenant's target; empty when its admin has set none. */
  public Optional<HttpTarget> get(String tenantId) {
    return db.inTransaction(connection -> read(connection, tenantId));
  }

  /**
   * Sets the tenant's target, with its audit event ({@code scheduled-tasks-target.update}) in the
   * same transaction. The target may hold no secret headers: they are sealed per schedule.
   */
  public void put(String tenantId, HttpTarget target, Instant now, Actor actor) {
    String stored = TargetJson.toStored(target);
    db.inTransaction(
        connection -> {
          Optional<HttpTarget> before = read(connection, tenantId);
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  tenantId,
                  now,
                  actor,
                  "scheduled-tasks-target.update",
                  "tenant",
                  tenantId,
                  before.map(old -> TargetJson.write(old).toString()),
                  Optional.of(TargetJson.write(target).toString())));
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM scheduled_task_targets WHERE tenant_id = ?")) {
            delete.setString(1, tenantId);
            delete.executeUpdate();
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO scheduled_task_targets (tenant_id, target_json, updated_at)"
                      + " VALUES (?, ?, ?)")) {
            insert.setString(1, tenantId);
            insert.setString(2, stored);
            dialect.setInstant(insert, 3, now);
            insert.executeUpdate();
          }
          return null;
        });
  }

  private static Optional<HttpTarget> read(Connection connection, String tenantId)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT target_json FROM scheduled_task_targets WHERE tenant_id = ?")) {
      select.setString(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next()
            ? Optional.of(TargetJson.stored(rows.getString("target_json")))
            : Optional.empty();
      }
    }
  }
}
