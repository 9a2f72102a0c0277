package dev.chime.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import dev.chime.schedule.ScheduleJson;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tenants' target allow-lists, as the entries a user wrote; no row is an empty list. */
public final class TargetAllowListStore {
  private final Database db;
  private final Dialect dialect;

  public TargetAllowListStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** The tenant's entries; empty when it has none. */
  public List<String> entries(String tenantId) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT entries_json FROM target_allowlists WHERE tenant_id = ?")) {
            select.setString(1, tenantId);
            try (ResultSet rows = select.executeQuery()) {
              List<String> entries = new ArrayList<>();
              if (rows.next()) {
                for (JsonNode entry : ScheduleJson.parse(rows.getString("entries_json"))) {
                  entries.add(entry.asText());
                }
              }
              return entries;
            }
          }
        });
  }

  /** Replaces the tenant's entries; an empty list removes its row. */
  public void replace(String tenantId, List<String> entries, Instant now, Actor actor) {
    ArrayNode json = JsonNodeFactory.instance.arrayNode();
    entries.forEach(json::add);
    List<String> before = entries(tenantId);
    db.inTransaction(
        connection -> {
          ArrayNode old = JsonNodeFactory.instance.arrayNode();
          before.forEach(old::add);
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  tenantId,
                  now,
                  actor,
                  "target-policy.update",
                  "tenant",
                  tenantId,
                  Optional.of("{\"allow\":" + old + "}"),
                  Optional.of("{\"allow\":" + json + "}")));
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM target_allowlists WHERE tenant_id = ?")) {
            delete.setString(1, tenantId);
            delete.executeUpdate();
          }
          if (!entries.isEmpty()) {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO target_allowlists (tenant_id, entries_json, updated_at)"
                        + " VALUES (?, ?, ?)")) {
              insert.setString(1, tenantId);
              insert.setString(2, ScheduleJson.write(json));
              dialect.setInstant(insert, 3, now);
              insert.executeUpdate();
            }
          }
          return null;
        });
  }
}
