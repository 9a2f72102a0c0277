package dev.chime.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;

/**
 * Claimed work a node holds in memory, earliest first, at most one copy per claimed row. A claim
 * with a newer lease epoch replaces the copy held (the row was changed and claimed again); an older
 * or equal one is ignored. Replaced copies are dropped lazily as they reach the head. Used by the
 * engine loop thread alone.
 */
final class HeldWork {
  private final PriorityQueue<Held> queue = new PriorityQueue<>();
  private final Map<UUID, Held> current = new HashMap<>();
  private final Map<UUID, Instant> leaseUntil = new HashMap<>();

  /** Holds {@code item} unless a copy of the same row from the same or a newer claim is held. */
  boolean offer(Held item, Instant leasedUntil) {
    Held held = current.get(item.id());
    if (held != null && held.epoch() >= item.epoch()) {
      return false;
    }
    current.put(item.id(), item);
    leaseUntil.put(item.id(), leasedUntil);
    queue.add(item);
    return true;
  }

  /** Puts back work taken out with {@link #poll()} (held back, or its start failed). */
  void putBack(Held item) {
    Held held = current.get(item.id());
    if (held == null || held.epoch() <= item.epoch()) {
      current.put(item.id(), item);
      leaseUntil.putIfAbsent(item.id(), Instant.MAX);
      queue.add(item);
    }
  }

  /** The earliest work held, or null. */
  Held peek() {
    dropStale();
    return queue.peek();
  }

  /** Takes out the earliest work held, or null. Its lease stays recorded until {@link #done}. */
  Held poll() {
    dropStale();
    Held item = queue.poll();
    if (item != null) {
      current.remove(item.id());
    }
    return item;
  }

  /** Until when the lease on {@code id} runs, as far as this node knows. */
  Instant leaseOf(UUID id) {
    return leaseUntil.getOrDefault(id, Instant.MAX);
  }

  /** Forgets the lease of work that was started or given up. */
  void done(UUID id) {
    if (!current.containsKey(id)) {
      leaseUntil.remove(id);
    }
  }

  /** Drops the copy of a row whose lease was lost. */
  void drop(UUID id) {
    current.remove(id);
    leaseUntil.remove(id);
  }

  /** The work whose lease runs out before {@code by}, for renewal. */
  List<Held> leasesEndingBefore(Instant by) {
    List<Held> ending = new ArrayList<>();
    for (Held item : current.values()) {
      if (leaseUntil.getOrDefault(item.id(), Instant.MAX).isBefore(by)) {
        ending.add(item);
      }
    }
    return ending;
  }

  void renewed(Collection<UUID> ids, Instant until) {
    for (UUID id : ids) {
      if (current.containsKey(id)) {
        leaseUntil.put(id, until);
      }
    }
  }

  boolean holds(UUID id) {
    return current.containsKey(id);
  }

  int size() {
    return current.size();
  }

  private void dropStale() {
    while (!queue.isEmpty()) {
      Held head = queue.peek();
      Held live = current.get(head.id());
      if (live == head) {
        return;
      }
      queue.poll();
    }
  }
}
