package dev.chime.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Which secrets key sealed the database's secrets, by its id: the first node to start writes its
 * key's id, and a node with another key is told so before it starts, rather than failing each call
 * whose secret it cannot open.
 */
public final class SealingKeys {
  private SealingKeys() {}

  /**
   * Records {@code keyId} as the database's key when it has none; returns the id the database has
   * when that is another.
   */
  public static Optional<String> claim(Database db, String keyId, Instant now) {
    Optional<String> stored = stored(db);
    if (stored.isEmpty()) {
      try {
        db.inTransaction(
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO sealing_key (id, key_id, created_at) VALUES (1, ?, ?)")) {
                insert.setString(1, keyId);
                db.dialect().setInstant(insert, 2, now);
                return insert.executeUpdate();
              }
            });
        return Optional.empty();
      } catch (StoreException e) {
        if (!(e.getCause() instanceof SQLException sql && db.dialect().isUniqueViolation(sql))) {
          throw e;
        }
        stored = stored(db); // another node wrote its key's id first
      }
    }
    return stored.filter(id -> !id.equals(keyId));
  }

  private static Optional<String> stored(Database db) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select =
                  connection.prepareStatement("SELECT key_id FROM sealing_key WHERE id = 1");
              ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(rows.getString("key_id")) : Optional.empty();
          }
        });
  }
}
