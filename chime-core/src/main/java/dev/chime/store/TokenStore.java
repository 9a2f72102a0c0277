package dev.chime.store;

import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import dev.chime.tenant.ApiToken;
import dev.chime.tenant.Scope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * API tokens, kept as hashes. A token is found by its hash when a request brings it; every change
 * (issue, revoke) writes an audit event in the token's tenant in the same transaction.
 */
public final class TokenStore {
  private static final String COLUMNS =
      "id, tenant_id, name, token_hash, prefix, scopes, created_at, expires_at, revoked_at,"
          + " created_by";

  private final Database db;
  private final Dialect dialect;

  public TokenStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** The token whose text hashes to {@code tokenHash}, whatever its state. */
  public Optional<ApiToken> findByHash(String tokenHash) {
    return db.inTransaction(
        connection ->
            one(
                connection,
                "SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = ?",
                tokenHash));
  }

  public Optional<ApiToken> get(String tenantId, UUID id) {
    return db.inTransaction(
        connection ->
            one(
                connection,
                "SELECT " + COLUMNS + " FROM api_tokens WHERE id = ? AND tenant_id = ?",
                id.toString(),
                tenantId));
  }

  public Page<ApiToken> list(String tenantId, Optional<String> cursor, int limit) {
    Optional<Cursor> after = cursor.map(Cursor::decode);
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM api_tokens WHERE tenant_id = ?"
            + (after.isPresent() ? " AND (created_at > ? OR (created_at = ? AND id > ?))" : "")
            + " ORDER BY created_at, id"
            + Statements.limit(limit + 1);
    List<ApiToken> rows =
        db.inTransaction(
            connection -> {
              try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, tenantId);
                if (after.isPresent()) {
                  dialect.setInstant(select, 2, after.get().at());
                  dialect.setInstant(select, 3, after.get().at());
                  select.setString(4, after.get().id().toString());
                }
                return readAll(select);
              }
            });
    if (rows.size() <= limit) {
      return new Page<>(rows, Optional.empty());
    }
    List<ApiToken> page = rows.subList(0, limit);
    ApiToken last = page.get(page.size() - 1);
    return new Page<>(page, Optional.of(new Cursor(last.createdAt(), last.id()).encode()));
  }

  /** Whether any token was ever made, in any tenant, whatever its state now. */
  public boolean any() {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select =
                  connection.prepareStatement("SELECT id FROM api_tokens" + Statements.limit(1));
              ResultSet rows = select.executeQuery()) {
            return rows.next();
          }
        });
  }

  public void insert(ApiToken token, Actor actor, Function<ApiToken, String> describe) {
    db.inTransaction(
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO api_tokens (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            insert.setString(1, token.id().toString());
            insert.setString(2, token.tenantId());
            insert.setString(3, token.name());
            insert.setString(4, token.tokenHash());
            insert.setString(5, token.prefix());
            insert.setString(6, Scope.store(token.scopes()));
            dialect.setInstant(insert, 7, token.createdAt());
            dialect.setInstant(insert, 8, token.expiresAt().orElse(null));
            dialect.setInstant(insert, 9, token.revokedAt().orElse(null));
            insert.setString(10, token.createdBy().map(UUID::toString).orElse(null));
            insert.executeUpdate();
          }
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  token.tenantId(),
                  token.createdAt(),
                  actor,
                  "token.create",
                  "token",
                  token.id().toString(),
                  Optional.empty(),
                  Optional.of(describe.apply(token))));
          return null;
        });
  }

  /**
   * Revokes a token: from now on it is refused. Revoking a revoked token changes nothing and
   * answers it as it is; empty when the tenant has no such token.
   */
  public Optional<ApiToken> revoke(
      String tenantId, UUID id, Actor actor, Instant now, Function<ApiToken, String> describe) {
    return db.inTransaction(
        connection -> {
          Optional<ApiToken> current =
              one(
                  connection,
                  "SELECT "
                      + COLUMNS
                      + " FROM api_tokens WHERE id = ? AND tenant_id = ? FOR UPDATE",
                  id.toString(),
                  tenantId);
          if (current.isEmpty() || current.get().revokedAt().isPresent()) {
            return current;
          }
          try (PreparedStatement update =
              connection.prepareStatement("UPDATE api_tokens SET revoked_at = ? WHERE id = ?")) {
            dialect.setInstant(update, 1, now);
            update.setString(2, id.toString());
            update.executeUpdate();
          }
          ApiToken old = current.get();
          ApiToken revoked =
              new ApiToken(
                  old.id(),
                  old.tenantId(),
                  old.name(),
                  old.tokenHash(),
                  old.prefix(),
                  old.scopes(),
                  old.createdAt(),
                  old.expiresAt(),
                  Optional.of(now),
                  old.createdBy());
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  tenantId,
                  now,
                  actor,
                  "token.revoke",
                  "token",
                  id.toString(),
                  Optional.of(describe.apply(old)),
                  Optional.of(describe.apply(revoked))));
          return Optional.of(revoked);
        });
  }

  private Optional<ApiToken> one(Connection connection, String sql, String... params)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        select.setString(i + 1, params[i]);
      }
      List<ApiToken> rows = readAll(select);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
  }

  private List<ApiToken> readAll(PreparedStatement select) throws SQLException {
    List<ApiToken> tokens = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        String createdBy = rows.getString("created_by");
        tokens.add(
            new ApiToken(
                UUID.fromString(rows.getString("id")),
                rows.getString("tenant_id"),
                rows.getString("name"),
                rows.getString("token_hash"),
                rows.getString("prefix"),
                Scope.stored(rows.getString("scopes")),
                dialect.getInstant(rows, "created_at").orElseThrow(),
                dialect.getInstant(rows, "expires_at"),
                dialect.getInstant(rows, "revoked_at"),
                Optional.ofNullable(createdBy).map(UUID::fromString)));
      }
    }
    return tokens;
  }
}
