package dev.chime.outgoing;

import dev.chime.audit.Actor;
import dev.chime.dispatch.WebhookSecret;
import dev.chime.secret.SecretBox;
import dev.chime.store.SigningSecretStore;
import dev.chime.store.SigningSecretStore.NewSecret;
import dev.chime.store.SigningSecretStore.StoredSecret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenants' signing secrets: each tenant's first is made when a call first needs it, and a
 * rotation makes a new one while the ones before sign on through their grace period. Opened secrets
 * are kept in memory for {@code fresh}; one past its end stops signing at once.
 */
public final class TenantSigning {
  /** A secret that signs now, opened; {@code expiresAt} is set for one in its grace period. */
  public record Signing(
      UUID id, WebhookSecret secret, Instant createdAt, Optional<Instant> expiresAt) {}

  private final SigningSecretStore store;
  private final SecretBox box;
  private final Clock clock;
  private final TenantCache<List<Signing>> cache;

  public TenantSigning(SigningSecretStore store, SecretBox box, Clock clock, Duration fresh) {
    this.store = store;
    this.box = box;
    this.clock = clock;
    this.cache =
        new TenantCache<>(
            "the signing secrets",
            fresh,
            tenant ->
                open(tenant, store.signingOrFirst(tenant, clock.instant(), newSecret(tenant))));
  }

  /** The secrets a call of the tenant is signed with now, oldest first; the first made if none. */
  public List<WebhookSecret> secretsFor(String tenantId) {
    Instant now = clock.instant();
    return cache.get(tenantId).stream()
        .filter(s -> s.expiresAt().isEmpty() || s.expiresAt().get().isAfter(now))
        .map(Signing::secret)
        .toList();
  }

  /** The secrets that sign now, as stored; none before the tenant's first call or rotation. */
  public List<Signing> list(String tenantId) {
    return open(tenantId, store.signing(tenantId, clock.instant()));
  }

  /**
   * Makes a new secret, which signs from now on; the ones before sign on for {@code grace} (zero:
   * they stop now). Returns the secrets that sign now, the new one last.
   */
  public List<Signing> rotate(String tenantId, Duration grace, Actor actor) {
    Instant now = clock.instant();
    List<StoredSecret> signing =
        store.rotate(tenantId, now, now.plus(grace), newSecret(tenantId), actor);
    cache.invalidate(tenantId);
    return open(tenantId, signing);
  }

  private NewSecret newSecret(String tenantId) {
    UUID id = UUID.randomUUID();
    return new NewSecret(id, box.seal(WebhookSecret.generate().text(), context(tenantId, id)));
  }

  private List<Signing> open(String tenantId, List<StoredSecret> stored) {
    return stored.stream()
        .map(
            s ->
                new Signing(
                    s.id(),
                    WebhookSecret.parse(box.open(s.sealed(), context(tenantId, s.id()))),
                    s.createdAt(),
                    s.expiresAt()))
        .toList();
  }

  private static String context(String tenantId, UUID id) {
    return "signing-secret:" + tenantId + ":" + id;
  }
}
