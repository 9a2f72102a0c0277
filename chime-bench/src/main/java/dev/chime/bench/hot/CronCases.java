package dev.chime.bench.hot;

import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.chime.timing.CronExpression;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cron expressions the hot-path bench compares Chime's next-fire with cron-utils' on: common
 * ones, the hard {@code L W #} ones, and zones whose clocks change. Both read the same five-field
 * expression (cron-utils with its Unix definition, extended by the {@code L W #} that Chime
 * supports), and each case is computed after the same instants, spread over the weeks around the
 * March daylight saving change of 2026.
 */
public final class CronCases {
  /** Name, expression, zone. */
  public record Case(String name, String expression, ZoneId zone) {}

  public static final List<Case> CASES =
      List.of(
          new Case("weekdays_9", "0 9 * * 1-5", ZoneId.of("UTC")),
          new Case("every_5_min", "*/5 * * * *", ZoneId.of("UTC")),
          new Case("last_day", "0 0 L * *", ZoneId.of("UTC")),
          new Case("weekday_nearest_15", "0 0 15W * *", ZoneId.of("UTC")),
          new Case("third_friday", "0 0 * * 5#3", ZoneId.of("UTC")),
          new Case("weekdays_9_new_york", "0 9 * * 1-5", ZoneId.of("America/New_York")),
          new Case("every_5_min_new_york", "*/5 * * * *", ZoneId.of("America/New_York")),
          new Case("last_day_berlin", "0 0 L * *", ZoneId.of("Europe/Berlin")),
          new Case("third_friday_berlin", "0 0 * * 5#3", ZoneId.of("Europe/Berlin")));

  /** The names of {@link #CASES}, for JMH's {@code @Param}. */
  public static final String NAMES =
      "weekdays_9,every_5_min,last_day,weekday_nearest_15,third_friday,weekdays_9_new_york,"
          + "every_5_min_new_york,last_day_berlin,third_friday_berlin";

  /** How many start instants each case is computed after, cycled through by the bench. */
  public static final int STARTS = 64;

  private static final CronParser CRON_UTILS = new CronParser(definition());

  private CronCases() {}

  public static Case named(String name) {
    return CASES.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no cron case " + name));
  }

  /**
   * {@link #STARTS} instants 7 h 13 min apart from 2026-02-20, so that they cross New York's (March
   * 8) and Berlin's (March 29) change to summer time and land on every hour of the day.
   */
  public static List<Instant> starts() {
    List<Instant> starts = new ArrayList<>();
    Instant at = Instant.parse("2026-02-20T00:00:17Z");
    for (int i = 0; i < STARTS; i++) {
      starts.add(at);
      at = at.plus(Duration.ofMinutes(7 * 60 + 13));
    }
    return starts;
  }

  public static CronExpression chime(Case c) {
    return CronExpression.parse(c.expression());
  }

  public static ExecutionTime cronUtils(Case c) {
    return ExecutionTime.forCron(CRON_UTILS.parse(c.expression()));
  }

  /** cron-utils' answer as an instant, for comparing with Chime's. */
  public static Optional<Instant> cronUtilsNext(ExecutionTime time, ZonedDateTime after) {
    return time.nextExecution(after).map(ZonedDateTime::toInstant);
  }

  /**
   * Five fields as Unix cron has them, with the {@code L} and {@code W} of the day of the month and
   * the {@code L} and {@code #} of the day of the week that Chime also reads.
   */
  private static CronDefinition definition() {
    return CronDefinitionBuilder.defineCron()
        .withMinutes()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withHours()
        .withValidRange(0, 23)
        .withStrictRange()
        .and()
        .withDayOfMonth()
        .withValidRange(1, 31)
        .supportsL()
        .supportsW()
        .supportsLW()
        .withStrictRange()
        .and()
        .withMonth()
        .withValidRange(1, 12)
        .withStrictRange()
        .and()
        .withDayOfWeek()
        .withValidRange(0, 7)
        .withMondayDoWValue(1)
        .withIntMapping(7, 0)
        .supportsHash()
        .supportsL()
        .withStrictRange()
        .and()
        .instance();
  }
}
