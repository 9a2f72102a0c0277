package dev.chime.schedule;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How often, and after how long, a failed attempt at a fire is tried again. Either a list of waits
 * ({@code backoff}, the last repeated when attempts outnumber it) or an exponential rule ({@code
 * initial_s}, {@code multiplier}, {@code max_s}, {@code jitter}).
 */
public sealed interface RetryPolicy permits RetryPolicy.Backoff, RetryPolicy.Exponential {
  int MAX_ATTEMPTS = 20;
  long MAX_WAIT_S = 86_400;

  /** The default: three attempts, 30 s then 60 s apart. */
  RetryPolicy DEFAULT = new Backoff(3, List.of(Duration.ofSeconds(30), Duration.ofSeconds(60)));

  /** Attempts in all, the first included; 1 means no retry. */
  int maxAttempts();

  /** The wait before {@code attempt} (2 for the first retry), with {@code random} in [0, 1). */
  Duration waitBefore(int attempt, double random);

  /** The longest wait this policy ever asks for; a target's Retry-After is capped by it. */
  Duration cap();

  /**
   * The wait before {@code attempt}: the target's {@code Retry-After} when it gave one, never more
   * than {@link #cap()}, else the policy's own wait.
   */
  default Duration waitBefore(int attempt, Optional<Duration> retryAfter, double random) {
    if (retryAfter.isPresent()) {
      Duration asked = retryAfter.get().isNegative() ? Duration.ZERO : retryAfter.get();
      return asked.compareTo(cap()) > 0 ? cap() : asked;
    }
    return waitBefore(attempt, random);
  }

  /** Waits from a list; attempt n waits {@code backoff[n-2]}, or the last one past its end. */
  record Backoff(int maxAttempts, List<Duration> backoff) implements RetryPolicy {
    public Backoff {
      backoff = List.copyOf(backoff);
      if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
        throw new IllegalArgumentException("max_attempts must be 1 to " + MAX_ATTEMPTS);
      }
      if (maxAttempts > 1 && backoff.isEmpty()) {
        throw new IllegalArgumentException("a backoff list needs at least one wait");
      }
    }

    @Override
    public Duration waitBefore(int attempt, double random) {
      return backoff.get(Math.min(Math.max(attempt - 2, 0), backoff.size() - 1));
    }

    @Override
    public Duration cap() {
      return backoff.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }
  }

  /**
   * {@code initial * multiplier^(attempt-2)}, at most {@code max}, then moved by up to {@code
   * jitter} (a fraction) either way so that many schedules failing together do not retry together.
   */
  record Exponential(
      int maxAttempts, Duration initial, double multiplier, Duration max, double jitter)
      implements RetryPolicy {
    public Exponential {
      if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
        throw new IllegalArgumentException("max_attempts must be 1 to " + MAX_ATTEMPTS);
      }
      if (multiplier < 1 || jitter < 0 || jitter > 1 || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("invalid exponential retry policy");
      }
    }

    @Override
    public Duration waitBefore(int attempt, double random) {
      double seconds = initial.toMillis() / 1000.0 * Math.pow(multiplier, Math.max(attempt - 2, 0));
      seconds = Math.min(seconds, max.toMillis() / 1000.0);
      seconds = seconds * (1 + jitter * (2 * random - 1));
      return Duration.ofMillis(Math.round(Math.min(seconds, max.toMillis() / 1000.0) * 1000));
    }

    @Override
    public Duration cap() {
      return max;
    }
  }
}
