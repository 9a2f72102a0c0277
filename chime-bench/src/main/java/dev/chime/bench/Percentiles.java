package dev.chime.bench;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a set of values, in whatever unit they were given: the lateness of
 * fires (LoadBench in milliseconds, the peers' timing bench in microseconds).
 */
public record Percentiles(long count, long p50, long p90, long p99, long p999, long max, long min) {
  public static Percentiles of(long[] values) {
    if (values.length == 0) {
      return new Percentiles(0, 0, 0, 0, 0, 0, 0);
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Percentiles(
        sorted.length,
        rank(sorted, 50),
        rank(sorted, 90),
        rank(sorted, 99),
        rank(sorted, 99.9),
        sorted[sorted.length - 1],
        sorted[0]);
  }

  private static long rank(long[] sorted, double percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }
}
