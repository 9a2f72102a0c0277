package dev.chime.server.api;

import dev.chime.dispatch.TargetGuard;
import dev.chime.outgoing.TenantAllowLists;
import dev.chime.outgoing.TenantSigning;
import dev.chime.secret.SecretBox;
import java.time.Duration;
import java.util.Objects;

/**
 * What the API needs of outgoing calls: the box that seals secret headers, the guard that refuses
 * targets at create, the tenants' signing secrets and allow-lists, and the default grace period of
 * a rotation.
 */
public record Outgoing(
    SecretBox box,
    TargetGuard guard,
    TenantSigning signing,
    TenantAllowLists allowLists,
    Duration signingGrace) {
  public Outgoing {
    Objects.requireNonNull(box, "box");
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(signing, "signing");
    Objects.requireNonNull(allowLists, "allowLists");
    Objects.requireNonNull(signingGrace, "signingGrace");
  }
}
