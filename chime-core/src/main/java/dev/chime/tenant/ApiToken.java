package dev.chime.tenant;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An API token as stored: never its text, only its hash and first characters. It acts for one
 * tenant with its scopes until it expires or is revoked.
 */
public record ApiToken(
    UUID id,
    String tenantId,
    String name,
    String tokenHash,
    String prefix,
    Set<Scope> scopes,
    Instant createdAt,
    Optional<Instant> expiresAt,
    Optional<Instant> revokedAt,
    Optional<UUID> createdBy) {
  public ApiToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(prefix, "prefix");
    scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(createdBy, "createdBy");
  }

  /** Whether the token may act at {@code now}: not revoked and not expired. */
  public boolean activeAt(Instant now) {
    return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
  }

  /** {@code admin} includes every scope. */
  public boolean allows(Scope scope) {
    return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
  }

  public String state(Instant now) {
    if (revokedAt.isPresent()) {
      return "revoked";
    }
    return activeAt(now) ? "active" : "expired";
  }
}
