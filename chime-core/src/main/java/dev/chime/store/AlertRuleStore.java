package dev.chime.store;

import dev.chime.InvalidInputException;
import dev.chime.alert.AlertRule;
import dev.chime.alert.RuleKind;
import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * A tenant's alert rules. A rule names channels and, optionally, a schedule of its own tenant; both
 * are checked in the transaction that writes it, with its audit event.
 */
public final class AlertRuleStore {
  static final String COLUMNS =
      "id, tenant_id, schedule_id, kind, threshold, params_json, channel_ids, enabled, created_at,"
          + " updated_at";

  private final Database db;
  private final Dialect dialect;

  public AlertRuleStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /**
   * Inserts a rule. A channel or schedule the tenant does not have is refused ({@link
   * InvalidInputException} naming {@code channels[i]} or {@code schedule_id}).
   */
  public void insert(AlertRule rule, Actor actor, Function<AlertRule, String> describe) {
    db.inTransaction(
        connection -> {
          checkOwned(connection, rule);
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO alert_rules ("
                      + COLUMNS
                      + ", cursor_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
            insert.setString(1, rule.id().toString());
            insert.setString(2, rule.tenantId());
            insert.setString(3, rule.scheduleId().map(UUID::toString).orElse(null));
            insert.setString(4, rule.kind().wireName());
            insert.setInt(5, rule.threshold());
            insert.setString(6, rule.paramsJson());
            insert.setString(7, joinIds(rule.channelIds()));
            insert.setBoolean(8, rule.enabled());
            dialect.setInstant(insert, 9, rule.createdAt());
            dialect.setInstant(insert, 10, rule.updatedAt());
            // a result rule tells the results of runs that end from now on
            dialect.setInstant(
                insert, 11, rule.kind() == RuleKind.RESULT ? rule.createdAt() : null);
            insert.executeUpdate();
          }
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  rule.tenantId(),
                  rule.createdAt(),
                  actor,
                  "alert-rule.create",
                  "alert-rule",
                  rule.id().toString(),
                  Optional.empty(),
                  Optional.of(describe.apply(rule))));
          return null;
        });
  }

  /**
   * Replaces a rule's settings (its threshold, parameters, channels, enabled) with {@code
   * changed}'s, checked as an insert is, audited with the rule before and after. {@code change}
   * makes the new rule from the current one, read under a lock. Empty when the tenant has no such
   * rule.
   */
  public Optional<AlertRule> update(
      String tenantId,
      UUID id,
      Function<AlertRule, AlertRule> change,
      Actor actor,
      Function<AlertRule, String> describe) {
    return db.inTransaction(
        connection -> {
          Optional<AlertRule> current = one(connection, tenantId, id, true);
          if (current.isEmpty()) {
            return current;
          }
          AlertRule rule = change.apply(current.get());
          checkOwned(connection, rule);
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE alert_rules SET threshold = ?, params_json = ?, channel_ids = ?,"
                      + " enabled = ?, updated_at = ? WHERE id = ? AND tenant_id = ?")) {
            update.setInt(1, rule.threshold());
            update.setString(2, rule.paramsJson());
            update.setString(3, joinIds(rule.channelIds()));
            update.setBoolean(4, rule.enabled());
            dialect.setInstant(update, 5, rule.updatedAt());
            update.setString(6, id.toString());
            update.setString(7, tenantId);
            update.executeUpdate();
          }
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  tenantId,
                  rule.updatedAt(),
                  actor,
                  "alert-rule.update",
                  "alert-rule",
                  id.toString(),
                  Optional.of(describe.apply(current.get())),
                  Optional.of(describe.apply(rule))));
          return Optional.of(rule);
        });
  }

  private void checkOwned(Connection connection, AlertRule rule) throws SQLException {
    List<InvalidInputException.FieldError> errors = new ArrayList<>();
    if (rule.scheduleId().isPresent()
        && !exists(connection, "schedules", rule.tenantId(), rule.scheduleId().get())) {
      errors.add(
          new InvalidInputException.FieldError(
              "schedule_id", "the tenant has no schedule " + rule.scheduleId().get()));
    }
    for (int i = 0; i < rule.channelIds().size(); i++) {
      UUID channel = rule.channelIds().get(i);
      if (!exists(connection, "notification_channels", rule.tenantId(), channel)) {
        errors.add(
            new InvalidInputException.FieldError(
                "channels[" + i + "]", "the tenant has no channel " + channel));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private static boolean exists(Connection connection, String table, String tenantId, UUID id)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id FROM " + table + " WHERE id = ? AND tenant_id = ?")) {
      select.setString(1, id.toString());
      select.setString(2, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  public Optional<AlertRule> get(String tenantId, UUID id) {
    return db.inTransaction(connection -> one(connection, tenantId, id, false));
  }

  /** A page of the tenant's rules in creation order, only those of one schedule when given. */
  public Page<AlertRule> list(
      String tenantId, Optional<UUID> scheduleId, Optional<String> cursor, int limit) {
    List<String> params = new ArrayList<>();
    params.add(tenantId);
    scheduleId.ifPresent(id -> params.add(id.toString()));
    return CreationPages.list(
        db,
        "SELECT "
            + COLUMNS
            + " FROM alert_rules WHERE tenant_id = ?"
            + (scheduleId.isPresent() ? " AND schedule_id = ?" : ""),
        params,
        cursor,
        limit,
        rows -> read(rows, dialect),
        AlertRule::createdAt,
        AlertRule::id);
  }

  /** Deletes a rule and its incidents; empty when the tenant has no such rule. */
  public Optional<AlertRule> delete(
      String tenantId, UUID id, Actor actor, Instant now, Function<AlertRule, String> describe) {
    return db.inTransaction(
        connection -> {
          Optional<AlertRule> rule = one(connection, tenantId, id, true);
          if (rule.isEmpty()) {
            return rule;
          }
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM alert_rules WHERE id = ?")) {
            delete.setString(1, id.toString());
            delete.executeUpdate();
          }
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  tenantId,
                  now,
                  actor,
                  "alert-rule.delete",
                  "alert-rule",
                  id.toString(),
                  Optional.of(describe.apply(rule.get())),
                  Optional.empty()));
          return rule;
        });
  }

  /** The ids of the tenant's rules that tell {@code channelId}. */
  static List<String> rulesTelling(Connection connection, String tenantId, UUID channelId)
      throws SQLException {
    List<String> rules = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id FROM alert_rules WHERE tenant_id = ? AND channel_ids LIKE ?")) {
      select.setString(1, tenantId);
      select.setString(2, "%" + channelId + "%");
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          rules.add(rows.getString("id"));
        }
      }
    }
    return rules;
  }

  private Optional<AlertRule> one(Connection connection, String tenantId, UUID id, boolean lock)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM alert_rules WHERE id = ? AND tenant_id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
      select.setString(1, id.toString());
      select.setString(2, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(read(rows, dialect)) : Optional.empty();
      }
    }
  }

  static AlertRule read(ResultSet rows, Dialect dialect) throws SQLException {
    String schedule = rows.getString("schedule_id");
    return new AlertRule(
        UUID.fromString(rows.getString("id")),
        rows.getString("tenant_id"),
        Optional.ofNullable(schedule).map(UUID::fromString),
        RuleKind.fromWire(rows.getString("kind")).orElseThrow(),
        rows.getInt("threshold"),
        rows.getString("params_json"),
        splitIds(rows.getString("channel_ids")),
        rows.getBoolean("enabled"),
        dialect.getInstant(rows, "created_at").orElseThrow(),
        dialect.getInstant(rows, "updated_at").orElseThrow());
  }

  static String joinIds(List<UUID> ids) {
    return String.join(" ", ids.stream().map(UUID::toString).toList());
  }

  static List<UUID> splitIds(String text) {
    return Arrays.stream(text.trim().split("\\s+"))
        .filter(s -> !s.isEmpty())
        .map(UUID::fromString)
        .toList();
  }
}
