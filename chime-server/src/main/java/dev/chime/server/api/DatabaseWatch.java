package dev.chime.server.api;

import dev.chime.store.Database;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's health as a background thread last saw it, so that {@code /health/ready} answers
 * at once whatever the database does. The thread asks the database a trivial query every {@code
 * every}; a check still waiting after {@link #STUCK_AFTER} counts as a database that does not
 * answer, and a check that has not run for a while (the thread died) counts as unknown.
 */
final class DatabaseWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DatabaseWatch.class);
  static final Duration EVERY = Duration.ofSeconds(1);
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
  static final Duration STUCK_AFTER = Duration.ofSeconds(3);
  private static final Duration STALE_AFTER = Duration.ofSeconds(10);

  /** What the last finished check found: empty when the database answered. */
  private record Seen(Optional<String> problem, long atNanos) {}

  private final Database db;
  private final Thread thread;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Seen seen;
  private volatile long checkStartedNanos;

  /** Starts as up: the node has just opened and migrated the database. */
  DatabaseWatch(Database db) {
    this.db = db;
    this.seen = new Seen(Optional.empty(), System.nanoTime());
    this.thread =
        Thread.ofPlatform()
            .name("chime-db-watch")
            .daemon()
            .uncaughtExceptionHandler(
                (t, e) -> log.error("the database watch stopped; readiness is now unknown", e))
            .unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** Empty when the database answered its last check, and that check is recent; else why not. */
  Optional<String> problem() {
    long now = System.nanoTime();
    long started = checkStartedNanos;
    if (started != 0 && now - started > STUCK_AFTER.toNanos()) {
      return Optional.of(
          "the database has not answered a check for "
              + TimeUnit.NANOSECONDS.toMillis(now - started)
              + " ms");
    }
    Seen last = seen;
    if (now - last.atNanos() > STALE_AFTER.toNanos()) {
      return Optional.of(
          "the database was last checked "
              + TimeUnit.NANOSECONDS.toSeconds(now - last.atNanos())
              + " s ago");
    }
    return last.problem().map(reason -> "the database does not answer: " + reason);
  }

  private void run() {
    do {
      try {
        checkOnce();
      } catch (RuntimeException | Error e) {
        log.warn("the database check failed; trying again", e);
      } finally {
        checkStartedNanos = 0;
      }
    } while (!closingWithin(EVERY));
  }

  private void checkOnce() {
    checkStartedNanos = System.nanoTime();
    Optional<String> problem = db.check(QUERY_TIMEOUT);
    // the database logs it when it goes out of reach and when it is back
    seen = new Seen(problem, System.nanoTime());
  }

  private boolean closingWithin(Duration wait) {
    try {
      return closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      return true;
    }
  }

  @Override
  public void close() {
    closing.countDown();
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
