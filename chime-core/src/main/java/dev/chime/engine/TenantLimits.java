package dev.chime.engine;

import dev.chime.store.EngineStore;
import dev.chime.store.StoreException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many runs each tenant may have in flight: the node's default ({@code quota.max.running}), or
 * the tenant's own limit. Read from the database at each full claim (every poll, every wake-up), so
 * a changed limit applies within one poll; between reads the last one is used, also while the
 * database does not answer.
 */
final class TenantLimits {
  private static final Logger log = LoggerFactory.getLogger(TenantLimits.class);

  private final EngineStore store;
  private final int defaultMaxRunning;
  private volatile Map<String, Integer> own = Map.of();

  TenantLimits(EngineStore store, int defaultMaxRunning) {
    this.store = store;
    this.defaultMaxRunning = defaultMaxRunning;
  }

  int maxRunning(String tenantId) {
    return own.getOrDefault(tenantId, defaultMaxRunning);
  }

  void refresh() {
    try {
      own = Map.copyOf(store.tenantRunLimits());
    } catch (StoreException e) {
      log.debug("tenants' limits not read, the last ones stay: {}", e.getMessage());
    }
  }
}
