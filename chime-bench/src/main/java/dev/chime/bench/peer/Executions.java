package dev.chime.bench.peer;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the no-op handler of every scheduler under test records: how often each of the round's jobs
 * ran, and when the first and the last execution happened ({@link System#nanoTime()}), so that
 * "every job exactly once" is checked the same way for Chime and its peers; for the timing bench
 * also each fire's instant and when it ran ({@link FireLog}).
 */
public final class Executions {
  private final AtomicIntegerArray counts;
  private final LongAdder total = new LongAdder();
  private final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastNanos = new AtomicLong(Long.MIN_VALUE);

  private final FireLog log;

  public Executions(int jobs) {
    this(jobs, FireLog.NONE);
  }

  /** Executions that also log each fire's scheduled instant and the moment it ran. */
  Executions(int jobs, FireLog log) {
    counts = new AtomicIntegerArray(jobs);
    this.log = log;
  }

  public int jobs() {
    return counts.length();
  }

  /** The handler's whole work: job {@code index} ran once more. */
  public void executed(int index) {
    long now = System.nanoTime();
    counts.incrementAndGet(index);
    total.increment();
    firstNanos.accumulateAndGet(now, Math::min);
    lastNanos.accumulateAndGet(now, Math::max);
  }

  /** The handler's whole work: job {@code index} ran once more, for its instant {@code at}. */
  public void executed(int index, Instant at) {
    log.fired(index, at);
    executed(index);
  }

  /** Executions counted, repeats included. */
  public long total() {
    return total.sum();
  }

  public long firstNanos() {
    return firstNanos.get();
  }

  public long lastNanos() {
    return lastNanos.get();
  }

  /** Jobs that ran at least once. */
  public int distinct() {
    return countWhere(1, Integer.MAX_VALUE);
  }

  /** Jobs that ran more than once. */
  public int repeated() {
    return countWhere(2, Integer.MAX_VALUE);
  }

  /** Jobs that never ran. */
  public int missing() {
    return countWhere(0, 0);
  }

  private int countWhere(int atLeast, int atMost) {
    int n = 0;
    for (int i = 0; i < counts.length(); i++) {
      int c = counts.get(i);
      if (c >= atLeast && c <= atMost) {
        n++;
      }
    }
    return n;
  }

  /** Waits until every job has run, or {@code limit} passed; returns whether all ran. */
  public boolean awaitAll(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (total() < jobs()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5); // a bench's wait: nothing is asserted on its timing
    }
    return true;
  }
}
