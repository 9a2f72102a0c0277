package dev.chime.server.auth;

import dev.chime.store.TenantStore;
import dev.chime.tenant.Quotas;
import dev.chime.tenant.Tenant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Each tenant's limits: the node's defaults with the tenant's own values put in. Read once per
 * tenant and kept for a few seconds, so a request does not read its tenant's row; a change made on
 * this node applies at once, one made on another node within {@link #KEEP_SECONDS} seconds.
 */
public final class TenantQuotas {
  static final long KEEP_SECONDS = 5;

  private record Kept(Quotas quotas, long readAtNanos) {}

  private final TenantStore tenants;
  private final Quotas defaults;
  private final Map<String, Kept> kept = new ConcurrentHashMap<>();

  public TenantQuotas(TenantStore tenants, Quotas defaults) {
    this.tenants = tenants;
    this.defaults = defaults;
  }

  public Quotas defaults() {
    return defaults;
  }

  public Quotas of(String tenantId) {
    Kept current = kept.get(tenantId);
    long now = System.nanoTime();
    if (current != null && now - current.readAtNanos() < TimeUnit.SECONDS.toNanos(KEEP_SECONDS)) {
      return current.quotas();
    }
    Quotas quotas = of(tenants.get(tenantId).map(Tenant::quotas).orElse(Quotas.Overrides.NONE));
    kept.put(tenantId, new Kept(quotas, now));
    return quotas;
  }

  public Quotas of(Quotas.Overrides overrides) {
    return defaults.with(overrides);
  }

  /** Forgets what was kept of a tenant, after a change to it. */
  public void changed(String tenantId) {
    kept.remove(tenantId);
  }
}
