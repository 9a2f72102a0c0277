package dev.chime.outgoing;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value per tenant, loaded on its first use and read again once it is older than {@code fresh}.
 * Only a first use waits for the database (callers arriving together wait for one load); a value
 * gone stale is still used while one background load replaces it, so calls never wait on the
 * database for it. When a load fails the value before is kept (the failure logged); a first load
 * that fails is thrown.
 */
final class TenantCache<T> {
  private static final Logger log = LoggerFactory.getLogger(TenantCache.class);

  private record Entry<T>(T value, long loadedNanos) {}

  private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ReentrantLock> loading = new ConcurrentHashMap<>();
  private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
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
    if (entry != null) {
      if (!isFresh(entry) && refreshing.add(tenantId)) {
        Entry<T> stale = entry;
        Thread.ofVirtual().name("chime-tenant-cache").start(() -> refresh(tenantId, stale));
      }
      return entry.value();
    }
    ReentrantLock lock = loading.computeIfAbsent(tenantId, t -> new ReentrantLock());
    lock.lock();
    try {
      entry = entries.get(tenantId);
      if (entry != null) {
        return entry.value();
      }
      T value = load.apply(tenantId);
      entries.put(tenantId, new Entry<>(value, System.nanoTime()));
      return value;
    } finally {
      lock.unlock();
    }
  }

  /** Replaces {@code stale} unless it was invalidated meanwhile (what was read may be older). */
  private void refresh(String tenantId, Entry<T> stale) {
    try {
      entries.replace(tenantId, stale, new Entry<>(load.apply(tenantId), System.nanoTime()));
    } catch (RuntimeException e) {
      log.warn(
          "{} of tenant {} cannot be read again, using the last read: {}",
          what,
          tenantId,
          e.getMessage());
      // kept as fresh for another period, so that the database is not asked on every call
      entries.replace(tenantId, stale, new Entry<>(stale.value(), System.nanoTime()));
    } finally {
      refreshing.remove(tenantId);
    }
  }

  /** Forgets the tenant's value: the next use loads it. */
  void invalidate(String tenantId) {
    entries.remove(tenantId);
  }

  private boolean isFresh(Entry<T> entry) {
    return System.nanoTime() - entry.loadedNanos() < freshNanos;
  }
}
