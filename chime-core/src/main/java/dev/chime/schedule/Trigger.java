package dev.chime.schedule;

import java.time.Instant;
import java.util.Optional;

/** When a schedule fires. Pure: every method takes the time it needs, none reads a clock. */
public sealed interface Trigger permits CronTrigger, IntervalTrigger, OnceTrigger {

  /**
   * The type name used in the API and the database: {@code cron}, {@code interval}, {@code once}.
   */
  String type();

  /** The first fire of a schedule created or changed at {@code now}. */
  Optional<Instant> first(Instant now);

  /** The fire that follows the one scheduled at {@code previous}, ignoring how late it is. */
  Optional<Instant> next(Instant previous);

  /**
   * The fire that follows the one scheduled at {@code previous} when it actually went out at {@code
   * now}: instants that were missed meanwhile are passed over, so a schedule that was down for an
   * hour fires once, not once per missed instant. The rhythm is kept: an interval schedule stays on
   * its grid of {@code previous + k * interval}.
   */
  default Optional<Instant> nextAfterFire(Instant previous, Instant now) {
    Optional<Instant> next = next(previous);
    if (next.isPresent() && !next.get().isAfter(now)) {
      return skipMissed(previous, now);
    }
    return next;
  }

  /** The first instant of this trigger's rhythm that is after {@code now}. */
  Optional<Instant> skipMissed(Instant previous, Instant now);
}
