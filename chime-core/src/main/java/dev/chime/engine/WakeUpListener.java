package dev.chime.engine;

import dev.chime.store.Database;
import dev.chime.store.WakeUpChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this node when another changes a schedule or queues a run, on PostgreSQL: one thread
 * listens on a {@link WakeUpChannel} and runs {@code onWake} (the engine's {@link Engine#wake()})
 * once for each batch of notifications, so the engine claims at once instead of at its next poll.
 * Every (re)connection wakes the node once too, for what changed while nobody listened. A dead
 * connection is opened again by itself after a growing pause (0.1 s, doubling, up to 5 s), logged
 * once when it is lost and once when it is back. On other databases it does nothing: polling.
 */
public final class WakeUpListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WakeUpListener.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** How long a quiet connection waits before it checks that the server still answers. */
  private static final Duration QUIET_CHECK = Duration.ofSeconds(10);

  private final Database db;
  private final String nodeId;
  private final Runnable onWake;
  private final Thread thread;
  private final StopSignal stop = new StopSignal();
  private final AtomicLong notifications = new AtomicLong();
  private final AtomicLong wakes = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private volatile boolean stopping;
  private volatile WakeUpChannel channel;
  private boolean started;
  private boolean closed;

  public WakeUpListener(Database db, String nodeId, Runnable onWake) {
    this.db = Objects.requireNonNull(db, "db");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.onWake = Objects.requireNonNull(onWake, "onWake");
    this.thread =
        Thread.ofPlatform()
            .name("chime-listen-" + nodeId)
            .daemon(true)
            .uncaughtExceptionHandler(
                (t, e) -> log.error("wake-up listener died; this node now only polls", e))
            .unstarted(this::runLoop);
  }

  /** Starts listening, on a database that has {@code LISTEN/NOTIFY}; elsewhere does nothing. */
  public synchronized void start() {
    if (WakeUpChannel.supported(db) && !closed && !started) {
      started = true;
      thread.start();
    }
  }

  /** The {@code application_name} its connection has in {@code pg_stat_activity}. */
  public String applicationName() {
    return WakeUpChannel.applicationName(nodeId);
  }

  /** Whether it is connected and listening now. */
  public boolean isListening() {
    return channel != null;
  }

  /** Notifications received since start. */
  public long notifications() {
    return notifications.get();
  }

  /** Times it woke the node: once per batch of notifications and once per connection. */
  public long wakes() {
    return wakes.get();
  }

  /** Times it connected and started listening. */
  public long connections() {
    return connections.get();
  }

  private void runLoop() {
    long backoffNanos = FIRST_BACKOFF.toNanos();
    long lostSinceNanos = 0;
    int failedAttempts = 0;
    boolean lost = false;
    while (!stopping) {
      try (WakeUpChannel opened = WakeUpChannel.open(db, nodeId)) {
        channel = opened;
        if (stopping) {
          break;
        }
        connections.incrementAndGet();
        if (lost) {
          log.info(
              "wake-up listener of {} listening again, {} ms after it lost its connection ({}"
                  + " attempt(s) failed)",
              nodeId,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostSinceNanos),
              failedAttempts - 1);
        } else {
          log.info("wake-up listener of {} listening as '{}'", nodeId, applicationName());
        }
        lost = false;
        failedAttempts = 0;
        backoffNanos = FIRST_BACKOFF.toNanos();
        wake();
        while (!stopping) {
          int received = opened.await(QUIET_CHECK);
          if (received > 0) {
            notifications.addAndGet(received);
            wake();
          }
        }
      } catch (Throwable e) {
        channel = null;
        if (stopping) {
          break;
        }
        if (!lost) {
          lost = true;
          lostSinceNanos = System.nanoTime();
          log.warn(
              "wake-up listener of {} lost its connection ({}); polling meanwhile, reconnecting"
                  + " by itself",
              nodeId,
              e.getMessage());
        } else {
          log.debug("wake-up listener of {} still cannot connect: {}", nodeId, e.getMessage());
        }
        failedAttempts++;
        if (e instanceof VirtualMachineError fatal) {
          throw fatal;
        }
        stop.pause(Duration.ofNanos(backoffNanos));
        backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF.toNanos());
      } finally {
        channel = null;
      }
    }
  }

  private void wake() {
    wakes.incrementAndGet();
    onWake.run();
  }

  /** Stops listening and closes the connection, waiting a few seconds at most. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    stop.stop();
    if (!started) {
      return;
    }
    WakeUpChannel open = channel;
    if (open != null) {
      open.abort();
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("wake-up listener of {} stopped", nodeId);
  }
}
