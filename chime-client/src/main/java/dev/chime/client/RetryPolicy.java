package dev.chime.client;

import java.util.List;

/**
 * How often and how soon Chime tries a failed fire again: a list of waits, or a growing wait. A
 * schedule without one gets {@link #DEFAULT}: three attempts, 30 s and 60 s apart.
 */
public sealed interface RetryPolicy permits RetryPolicy.Backoff, RetryPolicy.Exponential {
  /** Chime's default: {@code {"max_attempts":3,"backoff":[30,60]}}. */
  RetryPolicy DEFAULT = new Backoff(3, List.of(30, 60));

  /** Attempts in all, the first included (1–20). */
  int maxAttempts();

  /**
   * Waits from a list, in seconds; the last one repeats when there are more attempts than waits.
   */
  record Backoff(int maxAttempts, List<Integer> backoffSeconds) implements RetryPolicy {
    /** Checks the count and copies the list. */
    public Backoff {
      backoffSeconds = List.copyOf(backoffSeconds);
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("max_attempts must be at least 1, got " + maxAttempts);
      }
      if (backoffSeconds.isEmpty()) {
        throw new IllegalArgumentException("a backoff list needs at least one wait");
      }
    }
  }

  /**
   * A wait that starts at {@code initialS} and grows by {@code multiplier} up to {@code maxS},
   * spread by {@code jitter} (0–1).
   */
  record Exponential(int maxAttempts, int initialS, double multiplier, int maxS, double jitter)
      implements RetryPolicy {
    /** Checks the count. */
    public Exponential {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("max_attempts must be at least 1, got " + maxAttempts);
      }
    }
  }
}
