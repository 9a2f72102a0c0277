package dev.chime.engine;

import dev.chime.node.NodeRegistration;
import dev.chime.store.NodeStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's row in the {@code nodes} table: registers it at start, writes a heartbeat on
 * its own thread every interval (the time is the database's), deletes a few nodes gone for longer
 * than {@code keepGone} in the same pass, and marks the node stopped on {@link #close()}. A failing
 * heartbeat is logged when it starts failing and when it works again, not at every attempt.
 */
public final class NodeHeartbeat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);
  private static final int DELETE_BATCH = 100;
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final NodeStore store;
  private final NodeRegistration node;
  private final Duration keepGone;
  private final Thread thread;
  private final StopSignal stop = new StopSignal();
  private boolean failing;
  private long failingSinceNanos;
  private boolean started;
  private boolean closed;

  public NodeHeartbeat(NodeStore store, NodeRegistration node, Duration keepGone) {
    this.store = Objects.requireNonNull(store, "store");
    this.node = Objects.requireNonNull(node, "node");
    this.keepGone = Objects.requireNonNull(keepGone, "keepGone");
    this.thread =
        Thread.ofPlatform()
            .name("chime-heartbeat-" + node.id())
            .daemon(true)
            .uncaughtExceptionHandler(
                (t, e) -> log.error("heartbeat thread died; other nodes will see this one gone", e))
            .unstarted(this::runLoop);
  }

  private volatile long lastBeatNanos = System.nanoTime();

  /** How long ago this node last wrote its heartbeat (or registered). */
  public Duration sinceLastBeat() {
    return Duration.ofNanos(System.nanoTime() - lastBeatNanos);
  }

  /** Registers the node (a failure here fails the start), then starts the heartbeat thread. */
  public synchronized void start() {
    store.register(node);
    started = true;
    thread.start();
    log.info(
        "node {} registered at {} (Chime {}); heartbeat every {} ms",
        node.id(),
        node.address(),
        node.version(),
        node.heartbeatInterval().toMillis());
  }

  /**
   * One pass, on the caller's thread: the heartbeat (registering again if the row was deleted while
   * this node was paused), then the deletion of a few long-gone nodes.
   */
  public void beat() {
    if (!store.heartbeat(node.id())) {
      store.register(node);
      log.warn(
          "node {} had no row in the nodes table (deleted as gone?); registered again", node.id());
    }
    lastBeatNanos = System.nanoTime();
    int deleted = store.deleteGone(keepGone, DELETE_BATCH);
    if (deleted > 0) {
      log.info("deleted {} node(s) gone for more than {} days", deleted, keepGone.toDays());
    }
  }

  private void runLoop() {
    long intervalNanos = node.heartbeatInterval().toNanos();
    long next = System.nanoTime() + intervalNanos;
    while (stop.pause(Duration.ofNanos(next - System.nanoTime()))) {
      try {
        beat();
        if (failing) {
          failing = false;
          log.info(
              "heartbeat of node {} written again after {} s of failures",
              node.id(),
              TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - failingSinceNanos));
        }
      } catch (Throwable e) {
        if (!failing) {
          failing = true;
          failingSinceNanos = System.nanoTime();
          log.warn(
              "node {} cannot write its heartbeat ({}); trying every {} ms; other nodes see it"
                  + " suspect after {} ms without one",
              node.id(),
              e.toString(),
              node.heartbeatInterval().toMillis(),
              node.heartbeatInterval().toMillis() * 2);
        }
        if (e instanceof VirtualMachineError fatal) {
          throw fatal;
        }
      }
      // a fixed rhythm; after a pass slower than the interval the next one starts at once, once
      long now = System.nanoTime();
      next = now - next > intervalNanos ? now : next + intervalNanos;
    }
  }

  /**
   * Stops the heartbeats and marks the node stopped, so the others see it gone at once. Idempotent;
   * a node that cannot mark itself stopped is seen gone once its lease has passed.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop.stop();
    if (!started) {
      return;
    }
    try {
      thread.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      store.markStopped(node.id());
      log.info("node {} marked stopped", node.id());
    } catch (RuntimeException e) {
      log.warn(
          "node {} could not mark itself stopped ({}); seen gone {} ms after its last heartbeat",
          node.id(),
          e.getMessage(),
          node.lease().toMillis());
    }
  }
}
