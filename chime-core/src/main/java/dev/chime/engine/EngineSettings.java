package dev.chime.engine;

import java.net.URI;
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
 * @param callbackBase the base URL targets call back on ({@code <base>/api/v1/runs/<id>/complete})
 * @param catchupPerSecond how many late fires (catching up after downtime) may go out per second
 * @param tenantMaxRunning how many runs one tenant may have in flight at once
 * @param prestart how long before its instant a fire is marked started in the database, so that
 *     nothing waits on the database at the instant; an edit closer to the instant than this applies
 *     from the following fire
 * @param resultLinger how long the result writer waits for a batch to fill
 * @param callsPerHost how many calls to one target host (scheme, host and port) a node makes at
 *     once; more wait their turn
 */
public record EngineSettings(
    String nodeId,
    Duration poll,
    Duration lookahead,
    Duration lease,
    int batchSize,
    Duration shutdownGrace,
    URI callbackBase,
    double catchupPerSecond,
    int tenantMaxRunning,
    Duration prestart,
    Duration resultLinger,
    int callsPerHost) {
  /**
   * The defaults for the settings that came later: prestart 500 ms, result linger 50 ms, 64 calls
   * per host.
   */
  public EngineSettings(
      String nodeId,
      Duration poll,
      Duration lookahead,
      Duration lease,
      int batchSize,
      Duration shutdownGrace,
      URI callbackBase,
      double catchupPerSecond,
      int tenantMaxRunning) {
    this(
        nodeId,
        poll,
        lookahead,
        lease,
        batchSize,
        shutdownGrace,
        callbackBase,
        catchupPerSecond,
        tenantMaxRunning,
        Duration.ofMillis(500),
        Duration.ofMillis(50),
        64);
  }

  public EngineSettings {
    Objects.requireNonNull(nodeId, "nodeId");
    positive("poll", poll);
    positive("lookahead", lookahead);
    positive("lease", lease);
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(callbackBase, "callbackBase");
    if (catchupPerSecond <= 0) {
      throw new IllegalArgumentException(
          "catchupPerSecond must be positive, got " + catchupPerSecond);
    }
    if (tenantMaxRunning < 1) {
      throw new IllegalArgumentException(
          "tenantMaxRunning must be at least 1, got " + tenantMaxRunning);
    }
    Objects.requireNonNull(prestart, "prestart");
    Objects.requireNonNull(resultLinger, "resultLinger");
    if (prestart.isNegative() || prestart.compareTo(lookahead) > 0) {
      throw new IllegalArgumentException(
          "prestart must be between 0 and the lookahead (" + lookahead + "), got " + prestart);
    }
    if (resultLinger.isNegative()) {
      throw new IllegalArgumentException("resultLinger must not be negative, got " + resultLinger);
    }
    if (callsPerHost < 1) {
      throw new IllegalArgumentException("callsPerHost must be at least 1, got " + callsPerHost);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
  }

  /** The URL an async target reports the result of {@code runId} to. */
  public URI callbackUrl(java.util.UUID runId) {
    String base = callbackBase.toString();
    return URI.create(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            + "/api/v1/runs/"
            + runId
            + "/complete");
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
