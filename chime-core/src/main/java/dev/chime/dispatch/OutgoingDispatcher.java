package dev.chime.dispatch;

import dev.chime.run.RunOutcome;
import dev.chime.schedule.HeaderSecrets;
import dev.chime.schedule.HttpTarget;
import dev.chime.secret.SecretBox;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readies each call for the wire before another dispatcher makes it: opens the target's secret
 * headers, and adds the tenant's signing secrets and target allow-list. Only the call holds the
 * opened values; the engine and everything it keeps hold them sealed.
 *
 * <p>A secret that does not open fails the run ({@code secret_unreadable}); signing secrets or an
 * allow-list that cannot be had (the database is away and nothing is cached) fail it too ({@code
 * signing_unavailable}, {@code policy_unavailable}), rather than send a call unsigned or unchecked.
 */
public final class OutgoingDispatcher implements Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(OutgoingDispatcher.class);

  private final Dispatcher inner;
  private final SecretBox box;
  private final Function<String, List<WebhookSecret>> signingSecrets;
  private final Function<String, TargetAllowList> allowLists;

  /**
   * {@code signingSecrets} and {@code allowLists} give a tenant's, by its id; each may throw when
   * it cannot tell.
   */
  public OutgoingDispatcher(
      Dispatcher inner,
      SecretBox box,
      Function<String, List<WebhookSecret>> signingSecrets,
      Function<String, TargetAllowList> allowLists) {
    this.inner = inner;
    this.box = box;
    this.signingSecrets = signingSecrets;
    this.allowLists = allowLists;
  }

  @Override
  public RunOutcome call(DispatchRequest request) throws InterruptedException {
    HttpTarget sent;
    try {
      sent = HeaderSecrets.open(box, request.tenantId(), request.target());
    } catch (SecretBox.UnreadableSecret e) {
      return Calls.notCalled("secret_unreadable", "not called: " + e.getMessage());
    }
    Optional<TargetAllowList> allowList =
        lookup(allowLists, request.tenantId(), "the target allow-list");
    if (allowList.isEmpty()) {
      return Calls.notCalled(
          "policy_unavailable", "not called: the tenant's target allow-list cannot be read now");
    }
    Optional<List<WebhookSecret>> secrets =
        lookup(signingSecrets, request.tenantId(), "the signing secrets");
    if (secrets.isEmpty()) {
      return Calls.notCalled(
          "signing_unavailable", "not called: the tenant's signing secret cannot be read now");
    }
    return inner.call(request.readied(sent, secrets.get(), allowList.get()));
  }

  /** What {@code source} gives for the tenant, or empty (logged) when it cannot tell now. */
  private static <T> Optional<T> lookup(Function<String, T> source, String tenantId, String what) {
    try {
      return Optional.of(source.apply(tenantId));
    } catch (RuntimeException e) {
      log.warn("{} of tenant {} cannot be read: {}", what, tenantId, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    inner.close();
  }
}
