package dev.chime.outgoing;

import dev.chime.audit.Actor;
import dev.chime.dispatch.TargetAllowList;
import dev.chime.store.TargetAllowListStore;
import java.time.Duration;
import java.time.Instant;

/**
 * The tenants' target allow-lists. A change made through this node applies to its next call; one
 * made through another node within {@code fresh}.
 */
public final class TenantAllowLists {
  private final TargetAllowListStore store;
  private final TenantCache<TargetAllowList> cache;

  public TenantAllowLists(TargetAllowListStore store, Duration fresh) {
    this.store = store;
    this.cache =
        new TenantCache<>(
            "the target allow-list", fresh, tenant -> TargetAllowList.of(store.entries(tenant)));
  }

  public TargetAllowList of(String tenantId) {
    return cache.get(tenantId);
  }

  /** Replaces the tenant's list with {@code list}. */
  public void replace(String tenantId, TargetAllowList list, Instant now, Actor actor) {
    store.replace(tenantId, list.entries(), now, actor);
    cache.invalidate(tenantId);
  }

  /** The list as stored now, not as cached. */
  public TargetAllowList read(String tenantId) {
    return TargetAllowList.of(store.entries(tenantId));
  }
}
