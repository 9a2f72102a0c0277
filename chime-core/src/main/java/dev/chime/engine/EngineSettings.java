package dev.chime.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node's engine works.
 *
 * @param nodeId names this node in leases; unique in a cluster
 * @param poll how often the engine looks for due work when nothing wakes it
 * @param lookahead how far ahead it claims work, to hold in memory until its instant
 * @param lease how long a claim stays this node's beyond the lookahead before others may take it
 * @param batchSize how many schedules (and queued runs) one claim takes at most
 * @param shutdownGrace how long in-flight calls may run on after a stop is asked
 */
public record EngineSettings(
    String nodeId,
    Duration poll,
    Duration lookahead,
    Duration lease,
    int batchSize,
    Duration shutdownGrace) {
  public EngineSettings {
    Objects.requireNonNull(nodeId, "nodeId");
    positive("poll", poll);
    positive("lookahead", lookahead);
    positive("lease", lease);
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
