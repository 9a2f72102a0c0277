package dev.chime.store;

import dev.chime.NotFoundException;
import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
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
 * The tenants' signing secrets, kept sealed (the store never sees one as text). Making the first
 * secret and rotating take the tenant's row lock, so that nodes doing it at once make one secret,
 * not two.
 */
public final class SigningSecretStore {
  /** A secret as stored: sealed; {@code expiresAt} set once a newer secret replaced it. */
  public record StoredSecret(
      UUID id, String sealed, Instant createdAt, Optional<Instant> expiresAt) {
    public boolean signsAt(Instant now) {
      return expiresAt.isEmpty() || expiresAt.get().isAfter(now);
    }
  }

  /** A secret about to be written: its id, and its value sealed for that id. */
  public record NewSecret(UUID id, String sealed) {}

  private final Database db;
  private final Dialect dialect;

  public SigningSecretStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** The tenant's secrets that sign at {@code now}, oldest first. */
  public List<StoredSecret> signing(String tenantId, Instant now) {
    return db.inTransaction(connection -> signing(connection, tenantId, now));
  }

  /**
   * The tenant's secrets that sign at {@code now}; when there are none, {@code first} is written
   * and is the one.
   */
  public List<StoredSecret> signingOrFirst(String tenantId, Instant now, NewSecret first) {
    return db.inTransaction(
        connection -> {
          List<StoredSecret> secrets = signing(connection, tenantId, now);
          if (!secrets.isEmpty()) {
            return secrets;
          }
          lockTenant(connection, tenantId);
          secrets = signing(connection, tenantId, now);
          if (!secrets.isEmpty()) {
            return secrets; // another node made it while this one waited for the lock
          }
          insert(connection, tenantId, first, now);
          return signing(connection, tenantId, now);
        });
  }

  /**
   * Makes {@code next} the tenant's newest secret. The secrets signing until now sign on until
   * {@code retireBy} (or their own earlier end); secrets already past their end are deleted.
   * Returns the secrets that sign now, oldest first.
   */
  public List<StoredSecret> rotate(
      String tenantId, Instant now, Instant retireBy, NewSecret next, Actor actor) {
    return db.inTransaction(
        connection -> {
          lockTenant(connection, tenantId);
          // on the trail: which secret was made and until when the older ones sign; never a secret
          var after = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
          after.put("id", next.id().toString());
          after.put("older_sign_until", retireBy.toString());
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  tenantId,
                  now,
                  actor,
                  "signing-secret.rotate",
                  "signing-secret",
                  next.id().toString(),
                  Optional.empty(),
                  Optional.of(after.toString())));
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM signing_secrets WHERE tenant_id = ? AND expires_at <= ?")) {
            delete.setString(1, tenantId);
            dialect.setInstant(delete, 2, now);
            delete.executeUpdate();
          }
          try (PreparedStatement retire =
              connection.prepareStatement(
                  "UPDATE signing_secrets SET expires_at = ? WHERE tenant_id = ?"
                      + " AND (expires_at IS NULL OR expires_at > ?)")) {
            dialect.setInstant(retire, 1, retireBy);
            retire.setString(2, tenantId);
            dialect.setInstant(retire, 3, retireBy);
            retire.executeUpdate();
          }
          insert(connection, tenantId, next, now);
          return signing(connection, tenantId, now);
        });
  }

  private void lockTenant(Connection connection, String tenantId) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement(
            "SELECT id FROM tenants WHERE id = ?" + dialect.forRowUpdate())) {
      lock.setString(1, tenantId);
      try (ResultSet rows = lock.executeQuery()) {
        if (!rows.next()) {
          throw new NotFoundException("tenant", tenantId);
        }
      }
    }
  }

  private void insert(Connection connection, String tenantId, NewSecret secret, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO signing_secrets (id, tenant_id, sealed, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, NULL)")) {
      insert.setString(1, secret.id().toString());
      insert.setString(2, tenantId);
      insert.setString(3, secret.sealed());
      dialect.setInstant(insert, 4, now);
      insert.executeUpdate();
    }
  }

  private List<StoredSecret> signing(Connection connection, String tenantId, Instant now)
      throws SQLException {
    List<StoredSecret> secrets = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id, sealed, created_at, expires_at FROM signing_secrets"
                + " WHERE tenant_id = ? ORDER BY created_at, id")) {
      select.setString(1, tenantId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          StoredSecret secret =
              new StoredSecret(
                  UUID.fromString(rows.getString("id")),
                  rows.getString("sealed"),
                  dialect.getInstant(rows, "created_at").orElseThrow(),
                  dialect.getInstant(rows, "expires_at"));
          if (secret.signsAt(now)) {
            secrets.add(secret);
          }
        }
      }
    }
    return secrets;
  }
}
