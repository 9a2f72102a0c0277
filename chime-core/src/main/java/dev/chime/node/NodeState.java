package dev.chime.node;

import java.time.Duration;
import java.util.Locale;

/**
 * How a node looks to the cluster, judged by the database's clock against the node's own heartbeat
 * interval and lease: alive while its heartbeat is at most two intervals old, suspect once it has
 * missed two heartbeats, gone once it stopped cleanly or has written no heartbeat for longer than
 * its lease (by then other nodes may have taken its work).
 */
public enum NodeState {
  ALIVE,
  SUSPECT,
  GONE;

  /** The name in the API: {@code alive}, {@code suspect}, {@code gone}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state of a node whose last heartbeat is {@code sinceHeartbeat} old by the database's clock.
   */
  public static NodeState judge(
      Duration sinceHeartbeat, boolean stopped, Duration heartbeatInterval, Duration lease) {
    if (stopped || sinceHeartbeat.compareTo(lease) > 0) {
      return GONE;
    }
    if (sinceHeartbeat.compareTo(heartbeatInterval.multipliedBy(2)) > 0) {
      return SUSPECT;
    }
    return ALIVE;
  }
}
