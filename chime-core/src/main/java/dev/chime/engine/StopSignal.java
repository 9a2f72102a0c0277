package dev.chime.engine;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The wait between passes of a housekeeping thread, cut short when the thread is told to stop. */
final class StopSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopped = lock.newCondition();
  private boolean stopping;

  /** Waits {@code duration} of real time; false when stopping (at once if already stopping). */
  boolean pause(Duration duration) {
    lock.lock();
    try {
      long waitNanos = duration.toNanos();
      while (!stopping && waitNanos > 0) {
        waitNanos = stopped.awaitNanos(waitNanos);
      }
      return !stopping;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Ends every pause under way and every later one. */
  void stop() {
    lock.lock();
    try {
      stopping = true;
      stopped.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops, then waits at most {@code wait} for {@code thread} to end (not at all if it was never
   * started), keeping the caller's interrupt.
   */
  void stopAndAwait(Thread thread, Duration wait) {
    stop();
    if (thread.getState() == Thread.State.NEW) {
      return;
    }
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
