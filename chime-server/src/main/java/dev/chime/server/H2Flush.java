package dev.chime.server;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an H2 database's committed changes to its file on demand, so that they survive the process
 * being killed.
 *
 * <p>H2's MVStore keeps committed changes in memory and a background thread writes them to the file
 * every {@code WRITE_DELAY} (500 ms); a commit that returns is not yet in the file, and {@code kill
 * -9} in that window loses it. {@code WRITE_DELAY=0} would write on every commit, but it also stops
 * the background thread, which is the only thing that compacts the file: the file then grows
 * without bound. Instead H2 keeps its background writer and Chime runs {@code CHECKPOINT} (which
 * writes the unsaved changes) before it acknowledges something.
 *
 * <p>Callers that arrive together share one checkpoint (group commit): a caller waits for a
 * checkpoint that began after it arrived, runs one itself if none is running, and never waits for
 * more than two. The write goes to the operating system's page cache without fsync: it survives the
 * process, not a power loss.
 */
final class H2Flush implements WriteFlush {
  private static final Logger log = LoggerFactory.getLogger(H2Flush.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Runs H2's {@code CHECKPOINT}. */
  @FunctionalInterface
  interface Checkpoint {
    void run() throws SQLException;
  }

  private final Checkpoint checkpoint;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition done = lock.newCondition();
  private long arrived; // callers so far, numbered 1, 2, ...
  private long written; // every caller numbered up to this is in the file
  private boolean running;
  private long lastWarnNanos;
  private boolean warned;

  H2Flush(Checkpoint checkpoint) {
    this.checkpoint = checkpoint;
  }

  @Override
  public void awaitWritten() throws InterruptedException {
    long covers;
    lock.lock();
    try {
      long ticket = ++arrived;
      while (running) {
        done.await();
        if (written >= ticket) {
          return;
        }
      }
      running = true;
      // everyone who arrived so far committed before this checkpoint begins
      covers = arrived;
    } finally {
      lock.unlock();
    }
    boolean ok = false;
    try {
      checkpoint.run();
      ok = true;
    } catch (SQLException | RuntimeException e) {
      warn(e);
    } finally {
      lock.lock();
      try {
        running = false;
        if (ok) {
          written = Math.max(written, covers);
        }
        done.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Callers waiting for a checkpoint to end; for tests. */
  int waiting() {
    lock.lock();
    try {
      return lock.getWaitQueueLength(done);
    } finally {
      lock.unlock();
    }
  }

  private void warn(Exception e) {
    long now = System.nanoTime();
    boolean due;
    lock.lock();
    try {
      due = !warned || now - lastWarnNanos > WARN_EVERY_NANOS;
      if (due) {
        warned = true;
        lastWarnNanos = now;
      }
    } finally {
      lock.unlock();
    }
    if (due) {
      log.warn(
          "H2 CHECKPOINT failed, so the last writes may be lost if the process is killed"
              + " (H2 writes them within its WRITE_DELAY anyway): {}",
          e.toString());
    }
  }
}
