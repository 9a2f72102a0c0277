package dev.chime.outgoing;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value per tenant, loaded on first use and again once it is older than {@code fresh}. Callers
 * that find it stale at once wait for one load, not one each. When a load fails the value before is
 * kept and used (logged once per failure); with no value before, the failure is thrown.
 */
final class TenantCache<T> {
  private static final Logger log = LoggerFactory.getLogger(TenantCache.class);

  private record Entry<T>(T value, long loadedNanos) {}

  private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ReentrantLock> loading = new ConcurrentHashMap<>();
  private final Function<String, T> load;
  private final long freshNanos;
  private final String what;

  TenantCache(String what, Duration fresh, Function<String, T> load) {
    this.what = what;
    this.freshNanos = fresh.toNanos();
    this.load = load;
  }

  T get(String tenantId) {
    Entry<T> entry = entries.get(tenantId);
    if (isFresh(entry)) {
      return entry.value();
    }
    ReentrantLock lock = loading.computeIfAbsent(tenantId, t -> new ReentrantLock());
    lock.lock();
    try {
      entry = entries.get(tenantId);
      if (isFresh(entry)) {
        return entry.value();
      }
      try {
        T value = load.apply(tenantId);
        entries.put(tenantId, new Entry<>(value, System.nanoTime()));
        return value;
      } catch (RuntimeException e) {
        if (entry == null) {
          throw e;
        }
        log.warn(
            "{} of tenant {} cannot be read again, using the last read: {}",
            what,
            tenantId,
            e.getMessage());
        // kept as fresh for another period, so that the database is not asked on every call
        entries.put(tenantId, new Entry<>(entry.value(), System.nanoTime()));
        return entry.value();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Forgets the tenant's value: the next use loads it. */
  void invalidate(String tenantId) {
    entries.remove(tenantId);
  }

  private boolean isFresh(Entry<T> entry) {
    return entry != null && System.nanoTime() - entry.loadedNanos() < freshNanos;
  }
}
