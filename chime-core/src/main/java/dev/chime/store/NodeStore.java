package dev.chime.store;

import dev.chime.node.Node;
import dev.chime.node.NodeList;
import dev.chime.node.NodeRegistration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code nodes} table: registration, heartbeats, a clean stop, and the cluster's view of its
 * nodes. Every time written or compared here is the database's clock, never a node's.
 */
public final class NodeStore {
  private static final String COLUMNS =
      "id, address, version, heartbeat_ms, lease_ms, started_at, heartbeat_at, stopped_at";

  private final Database db;
  private final Dialect dialect;
  private final String now;

  public NodeStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
    this.now = dialect.currentTimestamp();
  }

  /**
   * Registers a node as started now: its row is made, or, for a node started again under the same
   * id, replaced (a new start time, no longer stopped).
   */
  public void register(NodeRegistration node) {
    try {
      db.inTransaction(connection -> upsert(connection, node));
    } catch (StoreException e) {
      if (!(e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql))) {
        throw e;
      }
      // another process under this id inserted the row between our update and insert
      db.inTransaction(connection -> upsert(connection, node));
    }
  }

  private Void upsert(Connection connection, NodeRegistration node) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE nodes SET address = ?, version = ?, heartbeat_ms = ?, lease_ms = ?,"
                + " started_at = "
                + now
                + ", heartbeat_at = "
                + now
                + ", stopped_at = NULL WHERE id = ?")) {
      bindDescription(update, node);
      update.setString(5, node.id());
      if (update.executeUpdate() == 1) {
        return null;
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO nodes (address, version, heartbeat_ms, lease_ms, id, started_at,"
                + " heartbeat_at, stopped_at) VALUES (?, ?, ?, ?, ?, "
                + now
                + ", "
                + now
                + ", NULL)")) {
      bindDescription(insert, node);
      insert.setString(5, node.id());
      insert.executeUpdate();
    }
    return null;
  }

  private static void bindDescription(PreparedStatement statement, NodeRegistration node)
      throws SQLException {
    statement.setString(1, node.address());
    statement.setString(2, node.version());
    statement.setInt(3, Math.toIntExact(node.heartbeatInterval().toMillis()));
    statement.setInt(4, Math.toIntExact(node.lease().toMillis()));
  }

  /**
   * Writes a heartbeat of {@code id} now; false when it has no row (deleted as long gone while the
   * node was paused): it should register again.
   */
  public boolean heartbeat(String id) {
    return update(
        "UPDATE nodes SET heartbeat_at = " + now + ", stopped_at = NULL WHERE id = ?", id);
  }

  /** Marks {@code id} stopped now, as a clean stop does; false when it has no row. */
  public boolean markStopped(String id) {
    return update(
        "UPDATE nodes SET heartbeat_at = " + now + ", stopped_at = " + now + " WHERE id = ?", id);
  }

  private boolean update(String sql, String id) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            return statement.executeUpdate() == 1;
          }
        });
  }

  /**
   * Deletes at most {@code limit} nodes whose last heartbeat (or clean stop) is older than {@code
   * keep} by the database's clock; returns how many it deleted.
   */
  public int deleteGone(Duration keep, int limit) {
    return db.inTransaction(
        connection -> {
          Instant cutoff = databaseNow(connection).minus(keep);
          List<String> ids = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT id FROM nodes WHERE heartbeat_at < ? ORDER BY heartbeat_at LIMIT ?")) {
            dialect.setInstant(select, 1, cutoff);
            select.setInt(2, limit);
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
              connection.prepareStatement("DELETE FROM nodes WHERE id = ? AND heartbeat_at < ?")) {
            for (String id : ids) {
              delete.setString(1, id);
              dialect.setInstant(delete, 2, cutoff);
              delete.addBatch();
            }
            int deleted = 0;
            for (int count : delete.executeBatch()) {
              deleted += Math.max(count, 0);
            }
            return deleted;
          }
        });
  }

  /** Every registered node, in id order, with what each holds now. */
  public NodeList list() {
    return db.inTransaction(connection -> read(connection, Optional.empty()));
  }

  /** One node, with what it holds now. */
  public Optional<Node> get(String id) {
    return db.inTransaction(connection -> read(connection, Optional.of(id))).nodes().stream()
        .findFirst();
  }

  private NodeList read(Connection connection, Optional<String> id) throws SQLException {
    Instant checkedAt = databaseNow(connection);
    String owner = id.isPresent() ? " AND lease_owner = ?" : " AND lease_owner IS NOT NULL";
    // the holdings are counted by scanning: an index on lease_owner would cost every claim an index
    // write, for a question an operator asks now and then
    Map<String, Integer> leased =
        countByOwner(
            connection,
            "SELECT lease_owner, COUNT(*) FROM schedules WHERE lease_until > ?"
                + owner
                + " GROUP BY lease_owner",
            Optional.of(checkedAt),
            id);
    Map<String, Integer> running =
        countByOwner(
            connection,
            // the status as a literal: on PostgreSQL the index of running runs is a partial one,
            // which a plan for any status could not use
            "SELECT lease_owner, COUNT(*) FROM runs WHERE status = 'running'"
                + owner
                + " GROUP BY lease_owner",
            Optional.empty(),
            id);
    List<Node> nodes = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM nodes"
                + (id.isPresent() ? " WHERE id = ?" : "")
                + " ORDER BY id")) {
      if (id.isPresent()) {
        select.setString(1, id.get());
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String nodeId = rows.getString("id");
          nodes.add(
              new Node(
                  nodeId,
                  rows.getString("address"),
                  rows.getString("version"),
                  Duration.ofMillis(rows.getInt("heartbeat_ms")),
                  Duration.ofMillis(rows.getInt("lease_ms")),
                  dialect.getInstant(rows, "started_at").orElseThrow(),
                  dialect.getInstant(rows, "heartbeat_at").orElseThrow(),
                  dialect.getInstant(rows, "stopped_at"),
                  checkedAt,
                  leased.getOrDefault(nodeId, 0),
                  running.getOrDefault(nodeId, 0)));
        }
      }
    }
    return new NodeList(checkedAt, nodes);
  }

  private Map<String, Integer> countByOwner(
      Connection connection, String sql, Optional<Instant> since, Optional<String> owner)
      throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int i = 1;
      if (since.isPresent()) {
        dialect.setInstant(statement, i++, since.get());
      }
      if (owner.isPresent()) {
        statement.setString(i, owner.get());
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          counts.put(rows.getString(1), rows.getInt(2));
        }
      }
    }
    return counts;
  }

  private Instant databaseNow(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT " + now + " AS db_now");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return dialect.getInstant(rows, "db_now").orElseThrow();
    }
  }
}
