package dev.chime.engine;

import java.time.Duration;

/**
 * How much run history a node's {@link Janitor} keeps.
 *
 * @param maxAge finished runs older than this are deleted; default 30 days
 * @param maxRunsPerSchedule each schedule keeps at most this many finished runs, the newest;
 *     default 1000
 * @param batchSize how many runs one delete removes at most; default 500
 * @param interval how long the janitor waits between passes; default 1 minute
 */
public record RetentionSettings(
    Duration maxAge, int maxRunsPerSchedule, int batchSize, Duration interval) {
  public RetentionSettings {
    positive("maxAge", maxAge);
    positive("interval", interval);
    if (maxRunsPerSchedule < 1) {
      throw new IllegalArgumentException(
          "maxRunsPerSchedule must be at least 1, got " + maxRunsPerSchedule);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
  }

  public static RetentionSettings defaults() {
    return new RetentionSettings(Duration.ofDays(30), 1000, 500, Duration.ofMinutes(1));
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
