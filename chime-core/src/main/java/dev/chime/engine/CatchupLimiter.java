package dev.chime.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket for fires that are catching up after downtime, so the first minutes after a long
 * outage do not hit every target at once. Reads time only from the instants it is given. Used by
 * the engine loop thread alone.
 */
final class CatchupLimiter {
  private final double perSecond;
  private final double burst;
  private double tokens;
  private Instant last;

  CatchupLimiter(double perSecond) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, perSecond);
    this.tokens = burst;
  }

  /** Takes a token if one is free at {@code now}. */
  boolean tryAcquire(Instant now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** When the next token is free, for a fire held back now. */
  Instant nextFree(Instant now) {
    refill(now);
    double missing = Math.max(0, 1 - tokens);
    return now.plusNanos((long) Math.ceil(missing / perSecond * 1e9));
  }

  private void refill(Instant now) {
    if (last != null && now.isAfter(last)) {
      double seconds = Duration.between(last, now).toNanos() / 1e9;
      tokens = Math.min(burst, tokens + seconds * perSecond);
    }
    if (last == null || now.isAfter(last)) {
      last = now;
    }
  }
}
