package dev.chime.store;

import dev.chime.ConflictException;
import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import dev.chime.tenant.Quotas;
import dev.chime.tenant.Tenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Tenants and their own limits. Every change writes its audit event, into the trail of the tenant
 * changed, in the same transaction; {@code describe} gives the JSON an event keeps of a tenant.
 */
public final class TenantStore {
  private static final String COLUMNS =
      "id, name, created_at, max_enabled_schedules, min_interval_s, max_running,"
          + " max_payload_bytes";

  private final Database db;
  private final Dialect dialect;

  public TenantStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** What a delete did. */
  public enum DeleteResult {
    DELETED,
    NOT_FOUND,
    /** The tenant still has schedules; they must be deleted first. */
    NOT_EMPTY
  }

  public Optional<Tenant> get(String id) {
    return db.inTransaction(connection -> find(connection, id, false));
  }

  public List<Tenant> list() {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement("SELECT " + COLUMNS + " FROM tenants ORDER BY id")) {
            List<Tenant> tenants = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                tenants.add(read(rows));
              }
            }
            return tenants;
          }
        });
  }

  public void insert(Tenant tenant, Actor actor, Function<Tenant, String> describe) {
    try {
      db.inTransaction(
          connection -> {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO tenants (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)")) {
              insert.setString(1, tenant.id());
              insert.setString(2, tenant.name());
              dialect.setInstant(insert, 3, tenant.createdAt());
              bindQuotas(insert, 4, tenant.quotas());
              insert.executeUpdate();
            }
            AuditStore.insert(
                connection,
                dialect,
                AuditEvent.of(
                    tenant.id(),
                    tenant.createdAt(),
                    actor,
                    "tenant.create",
                    "tenant",
                    tenant.id(),
                    Optional.empty(),
                    Optional.of(describe.apply(tenant))));
            return null;
          });
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        throw new ConflictException("id", "a tenant with id '" + tenant.id() + "' already exists");
      }
      throw e;
    }
  }

  /** Changes a tenant's name or limits under a row lock; empty when there is no such tenant. */
  public Optional<Tenant> update(
      String id,
      UnaryOperator<Tenant> change,
      Actor actor,
      Instant now,
      Function<Tenant, String> describe) {
    return db.inTransaction(
        connection -> {
          Optional<Tenant> current = find(connection, id, true);
          if (current.isEmpty()) {
            return Optional.empty();
          }
          Tenant updated = change.apply(current.get());
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE tenants SET name = ?, max_enabled_schedules = ?, min_interval_s = ?,"
                      + " max_running = ?, max_payload_bytes = ? WHERE id = ?")) {
            update.setString(1, updated.name());
            bindQuotas(update, 2, updated.quotas());
            update.setString(6, id);
            update.executeUpdate();
          }
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  id,
                  now,
                  actor,
                  "tenant.update",
                  "tenant",
                  id,
                  Optional.of(describe.apply(current.get())),
                  Optional.of(describe.apply(updated))));
          return Optional.of(updated);
        });
  }

  /**
   * Deletes a tenant that has no schedules left, with its tokens; its audit trail stays, with the
   * deletion as its last event.
   */
  public DeleteResult delete(
      String id, Actor actor, Instant now, Function<Tenant, String> describe) {
    return db.inTransaction(
        connection -> {
          Optional<Tenant> current = find(connection, id, true);
          if (current.isEmpty()) {
            return DeleteResult.NOT_FOUND;
          }
          try (PreparedStatement count =
              connection.prepareStatement("SELECT COUNT(*) FROM schedules WHERE tenant_id = ?")) {
            count.setString(1, id);
            try (ResultSet rows = count.executeQuery()) {
              rows.next();
              if (rows.getLong(1) > 0) {
                return DeleteResult.NOT_EMPTY;
              }
            }
          }
          for (String sql :
              List.of(
                  "DELETE FROM api_tokens WHERE tenant_id = ?",
                  // its alert rules (their incidents with them), then its channels (their
                  // deliveries with them)
                  "DELETE FROM alert_rules WHERE tenant_id = ?",
                  "DELETE FROM notification_channels WHERE tenant_id = ?",
                  "DELETE FROM tenants WHERE id = ?")) {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
              delete.setString(1, id);
              delete.executeUpdate();
            }
          }
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  id,
                  now,
                  actor,
                  "tenant.delete",
                  "tenant",
                  id,
                  Optional.of(describe.apply(current.get())),
                  Optional.empty()));
          return DeleteResult.DELETED;
        });
  }

  /** How many schedules the tenant has enabled, read in the caller's transaction. */
  static long enabledSchedules(Connection connection, String tenantId) throws SQLException {
    try (PreparedStatement count =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM schedules WHERE tenant_id = ? AND enabled = ?")) {
      count.setString(1, tenantId);
      count.setBoolean(2, true);
      try (ResultSet rows = count.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private Optional<Tenant> find(Connection connection, String id, boolean lock)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM tenants WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
      select.setString(1, id);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  private Tenant read(ResultSet rows) throws SQLException {
    return new Tenant(
        rows.getString("id"),
        rows.getString("name"),
        dialect.getInstant(rows, "created_at").orElseThrow(),
        new Quotas.Overrides(
            optionalInt(rows, "max_enabled_schedules"),
            optionalInt(rows, "min_interval_s"),
            optionalInt(rows, "max_running"),
            optionalInt(rows, "max_payload_bytes")));
  }

  static OptionalInt optionalInt(ResultSet rows, String column) throws SQLException {
    int value = rows.getInt(column);
    return rows.wasNull() ? OptionalInt.empty() : OptionalInt.of(value);
  }

  private static void bindQuotas(PreparedStatement statement, int from, Quotas.Overrides quotas)
      throws SQLException {
    bindInt(statement, from, quotas.maxEnabledSchedules());
    bindInt(statement, from + 1, quotas.minIntervalSeconds());
    bindInt(statement, from + 2, quotas.maxRunning());
    bindInt(statement, from + 3, quotas.maxPayloadBytes());
  }

  private static void bindInt(PreparedStatement statement, int index, OptionalInt value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setInt(index, value.getAsInt());
    } else {
      statement.setNull(index, Types.INTEGER);
    }
  }
}
