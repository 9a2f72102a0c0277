package dev.chime.bench.peer;

import java.time.Duration;
import java.time.Instant;

/**
 * A steady load: {@code jobs} recurring jobs, each every {@code interval}, their first instants
 * spread evenly over one interval from {@code first}, so that {@code jobs / interval} fire every
 * second. Every peer registers the same instants, to the millisecond (Quartz keeps no finer).
 */
record SteadyLoad(int jobs, Instant first, Duration interval) {
  SteadyLoad {
    if (jobs < 1) {
      throw new IllegalArgumentException("a steady load needs at least one job, got " + jobs);
    }
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("the interval must be a millisecond or more: " + interval);
    }
  }

  /**
   * The load of {@code rate} fires a second with jobs every {@code interval}, from {@code first}.
   */
  static SteadyLoad of(int rate, Duration interval, Instant first) {
    return new SteadyLoad(
        (int) Math.max(1, Math.round(rate * interval.toMillis() / 1000.0)), first, interval);
  }

  /** Job {@code i}'s first instant. */
  Instant firstOf(int i) {
    return first.plusMillis(interval.toMillis() * i / jobs);
  }

  /** Fires a second. */
  double rate() {
    return jobs * 1000.0 / interval.toMillis();
  }

  /** Which of job {@code i}'s instants {@code at} is (0 for its first); -1 when none. */
  long slotOf(int i, Instant at) {
    long offset = at.toEpochMilli() - firstOf(i).toEpochMilli();
    return offset >= 0 && offset % interval.toMillis() == 0 ? offset / interval.toMillis() : -1;
  }

  /** How many instants of all jobs fall in {@code [from, to)}. */
  long expectedIn(Instant from, Instant to) {
    long every = interval.toMillis();
    long count = 0;
    for (int i = 0; i < jobs; i++) {
      long start = firstOf(i).toEpochMilli();
      count +=
          Math.max(0, ceilDiv(to.toEpochMilli() - start, every))
              - Math.max(0, ceilDiv(from.toEpochMilli() - start, every));
    }
    return count;
  }

  private static long ceilDiv(long a, long b) {
    return Math.floorDiv(a + b - 1, b);
  }
}
