package dev.chime.bench.peer;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Every fire a handler saw, with the instant it was scheduled for and the moment the handler ran
 * (the scheduler's dispatch: the handler does nothing else), in microseconds since the epoch. What
 * falls in a measurement window is picked out afterwards, so the log needs no window up front.
 */
final class FireLog {
  /** Records nothing: for benches that only count. */
  static final FireLog NONE = new FireLog(Clock.systemUTC(), false);

  private final Clock clock;
  private final boolean records;
  private int size;
  private int[] jobs = new int[1024];
  private long[] scheduled = new long[1024];
  private long[] actual = new long[1024];

  FireLog(Clock clock) {
    this(clock, true);
  }

  private FireLog(Clock clock, boolean records) {
    this.clock = clock;
    this.records = records;
  }

  /** Job {@code job}'s fire for {@code scheduledAt} runs now. */
  void fired(int job, Instant scheduledAt) {
    if (!records) {
      return;
    }
    long now = micros(clock.instant());
    long at = micros(scheduledAt);
    synchronized (this) {
      if (size == jobs.length) {
        jobs = Arrays.copyOf(jobs, size * 2);
        scheduled = Arrays.copyOf(scheduled, size * 2);
        actual = Arrays.copyOf(actual, size * 2);
      }
      jobs[size] = job;
      scheduled[size] = at;
      actual[size] = now;
      size++;
    }
  }

  /** The fires logged so far, in the order the handlers logged them. */
  synchronized Fires snapshot() {
    return new Fires(
        Arrays.copyOf(jobs, size), Arrays.copyOf(scheduled, size), Arrays.copyOf(actual, size));
  }

  static long micros(Instant at) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, at);
  }

  /** Parallel arrays: fire {@code k} was job {@code jobs[k]}'s, for {@code scheduled[k]}. */
  record Fires(int[] jobs, long[] scheduled, long[] actual) {
    int size() {
      return jobs.length;
    }

    Instant scheduledAt(int k) {
      return Instant.EPOCH.plus(scheduled[k], ChronoUnit.MICROS);
    }

    long latenessMicros(int k) {
      return actual[k] - scheduled[k];
    }
  }
}
