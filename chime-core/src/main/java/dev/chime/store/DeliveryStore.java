package dev.chime.store;

import dev.chime.alert.Delivery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox of alerts ({@code alert_deliveries}): messages written with the change that makes them
 * (an incident opened or closed, a result to tell), claimed by one node at a time under a lease,
 * and marked delivered, due again, or given up.
 */
public final class DeliveryStore {
  private final Database db;
  private final Dialect dialect;

  public DeliveryStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** Writes deliveries to send now (a test alert, say) outside any incident. */
  public void enqueue(List<Delivery> deliveries) {
    db.inTransaction(
        connection -> {
          insert(connection, dialect, deliveries);
          return null;
        });
  }

  static void insert(Connection connection, Dialect dialect, List<Delivery> deliveries)
      throws SQLException {
    if (deliveries.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO alert_deliveries (id, tenant_id, channel_id, incident_id, event,"
                + " message_json, status, attempts, created_at, due_at)"
                + " VALUES (?,?,?,?,?,?,'pending',0,?,?)")) {
      for (Delivery delivery : deliveries) {
        insert.setString(1, delivery.id().toString());
        insert.setString(2, delivery.tenantId());
        insert.setString(3, delivery.channelId().toString());
        insert.setString(4, delivery.incidentId().map(UUID::toString).orElse(null));
        insert.setString(5, delivery.event());
        insert.setString(6, delivery.messageJson());
        dialect.setInstant(insert, 7, delivery.createdAt());
        dialect.setInstant(insert, 8, delivery.createdAt());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * Claims deliveries due by {@code now} that no other node holds, oldest first, for {@code node}
   * until {@code leaseUntil}: a node that dies while sending leaves them to the others after that.
   */
  public List<Delivery> claimDue(String node, Instant now, Instant leaseUntil, int limit) {
    return db.inTransaction(
        connection -> {
          List<Delivery> claimed = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT id, tenant_id, channel_id, incident_id, event, message_json, attempts,"
                      + " created_at FROM alert_deliveries WHERE status = 'pending'"
                      + " AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)"
                      + " ORDER BY due_at"
                      + Statements.limit(limit)
                      + dialect.forUpdateSkipLocked())) {
            dialect.setInstant(select, 1, now);
            dialect.setInstant(select, 2, now);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                String incident = rows.getString("incident_id");
                claimed.add(
                    new Delivery(
                        UUID.fromString(rows.getString("id")),
                        rows.getString("tenant_id"),
                        UUID.fromString(rows.getString("channel_id")),
                        Optional.ofNullable(incident).map(UUID::fromString),
                        rows.getString("event"),
                        rows.getString("message_json"),
                        rows.getInt("attempts"),
                        dialect.getInstant(rows, "created_at").orElseThrow()));
              }
            }
          }
          if (claimed.isEmpty()) {
            return claimed;
          }
          try (PreparedStatement lease =
              connection.prepareStatement(
                  "UPDATE alert_deliveries SET lease_owner = ?, lease_until = ? WHERE id = ?")) {
            for (Delivery delivery : Statements.inIdOrder(claimed, Delivery::id)) {
              lease.setString(1, node);
              dialect.setInstant(lease, 2, leaseUntil);
              lease.setString(3, delivery.id().toString());
              lease.addBatch();
            }
            lease.executeBatch();
          }
          return claimed;
        });
  }

  /**
   * Records how sending went: delivered at {@code now}, or failed with {@code error} and due again
   * at {@code retryAt} (empty: given up, status {@code failed}). Only the node that holds the lease
   * writes.
   */
  public void finished(
      List<UUID> ids, String node, Instant now, Optional<String> error, Optional<Instant> retryAt) {
    if (ids.isEmpty()) {
      return;
    }
    String status = error.isEmpty() ? "delivered" : retryAt.isPresent() ? "pending" : "failed";
    db.inTransaction(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE alert_deliveries SET status = ?, attempts = attempts + 1,"
                      + " delivered_at = ?, last_error = ?, due_at = COALESCE(?, due_at),"
                      + " lease_owner = NULL, lease_until = NULL"
                      + " WHERE id = ? AND lease_owner = ?")) {
            for (UUID id : ids.stream().sorted().toList()) {
              update.setString(1, status);
              dialect.setInstant(update, 2, error.isEmpty() ? now : null);
              update.setString(3, error.map(Finisher::clip).orElse(null));
              dialect.setInstant(update, 4, retryAt.orElse(null));
              update.setString(5, id.toString());
              update.setString(6, node);
              update.addBatch();
            }
            update.executeBatch();
          }
          return null;
        });
  }

  /** Deletes up to {@code limit} deliveries made before {@code before} that are no longer due. */
  public int forget(Instant before, int limit) {
    return db.inTransaction(
        connection -> {
          List<String> ids = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT id FROM alert_deliveries WHERE created_at < ? AND status <> 'pending'"
                      + Statements.limit(limit))) {
            dialect.setInstant(select, 1, before);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                ids.add(rows.getString(1));
              }
            }
          }
          if (ids.isEmpty()) {
            return 0;
          }
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM alert_deliveries WHERE id IN ("
                      + Statements.placeholders(ids.size())
                      + ")")) {
            for (int i = 0; i < ids.size(); i++) {
              delete.setString(i + 1, ids.get(i));
            }
            return delete.executeUpdate();
          }
        });
  }
}
