package dev.chime.schedule;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A schedule's policies for the bad cases: retries, fires missed while Chime was down, overlap with
 * runs still in flight, and switching off after failing again and again.
 */
public record RunPolicy(
    RetryPolicy retry,
    Duration catchupWindow,
    int maxConcurrency,
    OverlapPolicy overlap,
    OptionalInt autoDisableAfter) {
  public static final Duration DEFAULT_CATCHUP_WINDOW = Duration.ofSeconds(900);
  public static final RunPolicy DEFAULTS =
      new RunPolicy(
          RetryPolicy.DEFAULT, DEFAULT_CATCHUP_WINDOW, 1, OverlapPolicy.SKIP, OptionalInt.empty());

  public RunPolicy {
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(catchupWindow, "catchupWindow");
    Objects.requireNonNull(overlap, "overlap");
    Objects.requireNonNull(autoDisableAfter, "autoDisableAfter");
    if (catchupWindow.isNegative()) {
      throw new IllegalArgumentException("catchup window must not be negative");
    }
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("max_concurrency must be at least 1");
    }
  }
}
