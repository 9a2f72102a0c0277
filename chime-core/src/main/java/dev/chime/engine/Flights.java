package dev.chime.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * What this node's calls are doing, in memory: runs marked running and waiting for their instant
 * (armed), calls under way (live), and calls that ended but whose result is not written yet
 * (ended). The database says all three are {@code running}; only the first two are. The overlap
 * rules and the deadline sweep read this to count exactly. Thread-safe: calls end on their own
 * threads while the loop plans.
 */
final class Flights {
  private record Flight(UUID scheduleId, String tenantId) {}

  private final Map<UUID, Flight> armed = new HashMap<>();
  private final Map<UUID, Flight> live = new HashMap<>();
  private final Map<UUID, Future<?>> futures = new HashMap<>();
  private final Map<UUID, Flight> ended = new HashMap<>();
  private final Map<String, Integer> armedByTenant = new HashMap<>();
  private final Map<String, Integer> endedByTenant = new HashMap<>();
  private final Map<String, Integer> liveByTenant = new HashMap<>();

  synchronized void armed(UUID runId, UUID scheduleId, String tenantId) {
    armed.put(runId, new Flight(scheduleId, tenantId));
    armedByTenant.merge(tenantId, 1, Integer::sum);
  }

  /** A call goes out: armed (if it was) becomes live. */
  synchronized void launched(UUID runId, UUID scheduleId, String tenantId, Future<?> future) {
    Flight flight = armed.remove(runId);
    if (flight != null) {
      decrement(armedByTenant, tenantId);
    }
    live.put(runId, new Flight(scheduleId, tenantId));
    liveByTenant.merge(tenantId, 1, Integer::sum);
    futures.put(runId, future);
  }

  /** An armed run that will not be sent after all (cancelled before its instant). */
  synchronized boolean disarm(UUID runId) {
    Flight flight = armed.remove(runId);
    if (flight != null) {
      decrement(armedByTenant, flight.tenantId());
      return true;
    }
    return false;
  }

  /** The call is over; its result waits for the writer. */
  synchronized void ended(UUID runId) {
    futures.remove(runId);
    Flight flight = live.remove(runId);
    if (flight != null) {
      decrement(liveByTenant, flight.tenantId());
      ended.put(runId, flight);
      endedByTenant.merge(flight.tenantId(), 1, Integer::sum);
    }
  }

  /** The result is in the database (or was given up): the database now tells the truth. */
  synchronized void written(UUID runId) {
    Flight flight = ended.remove(runId);
    if (flight != null) {
      decrement(endedByTenant, flight.tenantId());
    }
  }

  /** The call of {@code runId} if it is under way on this node. */
  synchronized Future<?> future(UUID runId) {
    return futures.get(runId);
  }

  /** The runs this node knows to be alive or closing: the deadline sweep leaves them alone. */
  synchronized boolean alive(UUID runId) {
    return armed.containsKey(runId) || live.containsKey(runId) || ended.containsKey(runId);
  }

  /**
   * Of the runs the database says are running, those really in flight on this node or elsewhere.
   */
  synchronized int stillRunning(Set<UUID> runningInDatabase) {
    int count = 0;
    for (UUID id : runningInDatabase) {
      if (!ended.containsKey(id)) {
        count++;
      }
    }
    return count;
  }

  /**
   * Of the runs the database counts as running for {@code tenantId}, about how many are not this
   * node's: running on other nodes, or accepted (202) and waiting for their callback. This node's
   * own calls are bounded where they are sent.
   */
  synchronized int runningElsewhere(String tenantId, int runningInDatabase) {
    return Math.max(
        0,
        runningInDatabase
            - armedByTenant.getOrDefault(tenantId, 0)
            - liveByTenant.getOrDefault(tenantId, 0)
            - endedByTenant.getOrDefault(tenantId, 0));
  }

  synchronized int armedCount() {
    return armed.size();
  }

  synchronized int liveCount() {
    return live.size();
  }

  synchronized int endedCount() {
    return ended.size();
  }

  private static void decrement(Map<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }
}
