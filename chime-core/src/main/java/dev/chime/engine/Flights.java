package dev.chime.engine;

import java.util.HashMap;
import java.util.HashSet;
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
  private final Set<UUID> armed = new HashSet<>();
  private final Set<UUID> live = new HashSet<>();
  private final Map<UUID, Future<?>> futures = new HashMap<>();
  private final Set<UUID> ended = new HashSet<>();

  synchronized void armed(UUID runId) {
    armed.add(runId);
  }

  /** A call goes out: armed (if it was) becomes live. */
  synchronized void launched(UUID runId, Future<?> future) {
    armed.remove(runId);
    live.add(runId);
    futures.put(runId, future);
  }

  /** An armed run that will not be sent after all (cancelled before its instant). */
  synchronized boolean disarm(UUID runId) {
    return armed.remove(runId);
  }

  /** The call is over; its result waits for the writer. */
  synchronized void ended(UUID runId) {
    futures.remove(runId);
    if (live.remove(runId)) {
      ended.add(runId);
    }
  }

  /** The result is in the database (or was given up): the database now tells the truth. */
  synchronized void written(UUID runId) {
    ended.remove(runId);
  }

  /** The call of {@code runId} if it is under way on this node. */
  synchronized Future<?> future(UUID runId) {
    return futures.get(runId);
  }

  /** The runs this node knows to be alive or closing: the deadline sweep leaves them alone. */
  synchronized boolean alive(UUID runId) {
    return armed.contains(runId) || live.contains(runId) || ended.contains(runId);
  }

  /**
   * Of the runs the database says are running, those really in flight: another node's (or an
   * accepted run's) as the database says; of this node's own ({@code own}), those armed or under
   * way now — a call that ended is over even while its result waits for the writer, and one whose
   * result was written since the database was read is too.
   */
  synchronized int stillRunning(Set<UUID> runningInDatabase, Set<UUID> own) {
    int count = 0;
    for (UUID id : runningInDatabase) {
      if (!own.contains(id) || armed.contains(id) || live.contains(id)) {
        count++;
      }
    }
    return count;
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
}
