package dev.chime.schedule;

import dev.chime.timing.CronExpression;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/** A cron expression read in an IANA time zone. */
public record CronTrigger(CronExpression expression, ZoneId zone) implements Trigger {
  public CronTrigger {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(zone, "zone");
  }

  @Override
  public String type() {
    return "cron";
  }

  @Override
  public Optional<Instant> first(Instant now) {
    return expression.nextAfter(now, zone);
  }

  @Override
  public Optional<Instant> next(Instant previous) {
    return expression.nextAfter(previous, zone);
  }

  @Override
  public Optional<Instant> skipMissed(Instant previous, Instant now) {
    return expression.nextAfter(now, zone);
  }
}
