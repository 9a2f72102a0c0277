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
   * The first instant of this trigger's rhythm, counted on from {@code previous}, that is after
   * {@code now}: where a schedule goes on after the instants before {@code now} were missed. An
   * interval schedule stays on its grid of {@code previous + k * interval}.
   */
  Optional<Instant> skipMissed(Instant previous, Instant now);
}
