package dev.chime.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Every {@code every}, counted from the previous scheduled instant (not from completion). */
public record IntervalTrigger(Duration every) implements Trigger {
  public IntervalTrigger {
    if (every == null || every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("an interval must be positive, got " + every);
    }
  }

  @Override
  public String type() {
    return "interval";
  }

  @Override
  public Optional<Instant> first(Instant now) {
    return Optional.of(now.plus(every));
  }

  @Override
  public Optional<Instant> next(Instant previous) {
    return Optional.of(previous.plus(every));
  }

  @Override
  public Optional<Instant> skipMissed(Instant previous, Instant now) {
    long periodNanos = every.toNanos();
    long behindNanos = Duration.between(previous, now).toNanos();
    long periods = behindNanos / periodNanos + 1;
    return Optional.of(previous.plusNanos(periods * periodNanos));
  }
}
