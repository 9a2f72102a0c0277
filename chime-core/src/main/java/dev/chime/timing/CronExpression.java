package dev.chime.timing;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed cron expression: 5 fields ({@code minute hour day-of-month month day-of-week}) or 6 with
 * seconds first, or a macro such as {@code @daily}. Immutable and thread-safe.
 *
 * <h2>Time zones and daylight saving time</h2>
 *
 * <p>The expression is matched against local date-times in the zone. Each matching local date-time
 * L is mapped to one instant:
 *
 * <ul>
 *   <li>an ordinary local time maps to its only instant;
 *   <li>a local time in a gap (spring forward) is shifted later by the length of the gap, exactly
 *       as {@code ZonedDateTime.of(L, zone)} resolves it (02:30 becomes 03:30 EDT);
 *   <li>a local time in an overlap (fall back) maps to its earlier offset only: it fires once, in
 *       the first pass. The repeated hour's second pass does not fire again, even for expressions
 *       such as {@code 0 * * * *} or {@code *}{@code /15 * * * *}; every local time fires exactly
 *       once.
 * </ul>
 *
 * <p>The fire times are the set of these instants; {@link #nextAfter} returns the smallest one
 * strictly after its argument. Two local times that map to the same instant (02:30 shifted by the
 * gap and a real 03:30) therefore fire once, and successive calls always give strictly increasing
 * instants. A consequence of the set definition: asked for the next fire after 03:10 EDT on a
 * spring-forward day, {@code 30 2 * * *} answers 03:30 EDT that same day, since that is when its
 * shifted 02:30 fires.
 */
public final class CronExpression {

  /**
   * How far ahead to search. Any expression that can match at all matches within one 400-year
   * Gregorian cycle (in which every combination of month length and weekday of the 1st occurs);
   * expressions that can never match (Feb 30) are detected at parse time and answer at once.
   */
  private static final int SEARCH_YEARS = 400;

  private final String expression;
  private final CronField[] fields;
  private final boolean hasSeconds;
  private final String macro;
  private final long secondBits;
  private final long minuteBits;
  private final long hourBits;
  private final long monthBits;
  private final DayMatcher days;
  private final boolean canMatch;

  private CronExpression(String expression, CronParser.Parsed parsed) {
    this.expression = expression;
    this.fields = parsed.fields();
    this.hasSeconds = parsed.hasSeconds();
    this.macro = parsed.macro();
    this.secondBits = fields[0].bits();
    this.minuteBits = fields[1].bits();
    this.hourBits = fields[2].bits();
    this.monthBits = fields[4].bits();
    this.days = new DayMatcher(fields[3], fields[5]);
    this.canMatch = days.canEverMatch(monthBits);
  }

  /**
   * Parses; throws CronSyntaxException on any error. Trims surrounding whitespace; fields separated
   * by one or more spaces/tabs.
   */
  public static CronExpression parse(String expression) {
    if (expression == null) {
      throw new CronSyntaxException(0, "expression", "expression is null");
    }
    String text = expression.strip();
    return new CronExpression(text, CronParser.parse(text));
  }

  /** The text as given (trimmed). */
  public String expression() {
    return expression;
  }

  /**
   * The first fire instant strictly after {@code after}, reading the expression in {@code zone};
   * empty if there is none (for example {@code 0 0 30 2 *}). See the class comment for daylight
   * saving time.
   */
  public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(zone, "zone");
    if (!canMatch) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(next(after, zone.getRules()));
    } catch (DateTimeException e) {
      return Optional.empty(); // beyond the supported range of years
    }
  }

  private Instant next(Instant after, ZoneRules rules) {
    LocalDateTime afterLocal =
        LocalDateTime.ofInstant(after, rules.getOffset(after)).truncatedTo(ChronoUnit.SECONDS);
    if (rules.isFixedOffset()) {
      LocalDateTime l = nextMatch(afterLocal.plusSeconds(1));
      return l == null ? null : l.toInstant(rules.getOffset(after));
    }
    LocalDateTime start = afterLocal.plusSeconds(1);
    // Local times in a gap just before `after` are shifted to instants after the gap starts; if
    // `after` lies within that shifted stretch, some of them may still fire after `after`.
    ZoneOffsetTransition previous = rules.previousTransition(after.plusNanos(1));
    if (previous != null
        && previous.isGap()
        && after.isBefore(previous.getInstant().plus(previous.getDuration()))) {
      start =
          previous
              .getDateTimeBefore()
              .plusSeconds(after.getEpochSecond() - previous.getInstant().getEpochSecond());
    }
    Instant best = null;
    LocalDateTime bestLocal = null;
    while (true) {
      LocalDateTime l = nextMatch(start);
      if (l == null || (bestLocal != null && !l.isBefore(bestLocal))) {
        return best;
      }
      List<ZoneOffset> offsets = rules.getValidOffsets(l);
      if (offsets.size() == 1) {
        Instant instant = l.toInstant(offsets.get(0));
        if (instant.isAfter(after)) {
          // Ordinary local times map monotonically, so nothing later can be earlier; and since
          // l < bestLocal, this is earlier than any gap-shifted candidate found so far.
          return instant;
        }
        start = l.plusSeconds(1);
        continue;
      }
      ZoneOffsetTransition t = rules.getTransition(l);
      Instant instant = l.toInstant(t.getOffsetBefore());
      if (offsets.size() == 2) {
        // Overlap: fire at the earlier offset only.
        if (instant.isAfter(after)) {
          return instant;
        }
        // If `after` is in or past the second pass, no local time of the overlap fires after it.
        start = after.isBefore(t.getInstant()) ? l.plusSeconds(1) : t.getDateTimeBefore();
        continue;
      }
      // Gap: shifted later by the gap's length (same as ZonedDateTime.of). Later local times in
      // the gap shift to later instants, but local times just after the gap may map earlier than
      // this one, so keep looking until we pass its local time.
      if (instant.isAfter(after)) {
        if (best == null || instant.isBefore(best)) {
          best = instant;
          bestLocal = l.plus(t.getDuration());
        }
        LocalDateTime gapEnd = t.getDateTimeAfter();
        start = afterLocal.isAfter(gapEnd) ? afterLocal.plusSeconds(1) : gapEnd;
      } else {
        start = l.plusSeconds(1);
      }
    }
  }

  /** The first local date-time at or after {@code from} (whole seconds) matching all fields. */
  LocalDateTime nextMatch(LocalDateTime from) {
    int year = from.getYear();
    int month = from.getMonthValue();
    int day = from.getDayOfMonth();
    int hour = from.getHour();
    int minute = from.getMinute();
    int second = from.getSecond();
    int yearLimit = year + SEARCH_YEARS;
    int maskYear = 0;
    int maskMonth = 0;
    long dayMask = 0;
    while (true) {
      if (year > yearLimit || year > LocalDate.MAX.getYear()) {
        return null;
      }
      int m = nextBit(monthBits, month);
      if (m < 0 || m > 12) {
        year++;
        month = 1;
        day = 1;
        hour = minute = second = 0;
        continue;
      }
      if (m != month) {
        month = m;
        day = 1;
        hour = minute = second = 0;
      }
      if (maskYear != year || maskMonth != month) {
        LocalDate first = LocalDate.of(year, month, 1);
        dayMask = days.mask(first.lengthOfMonth(), first.getDayOfWeek().getValue() % 7);
        maskYear = year;
        maskMonth = month;
      }
      int d = nextBit(dayMask, day);
      if (d < 0) {
        month++;
        day = 1;
        hour = minute = second = 0;
        if (month > 12) {
          month = 1;
          year++;
        }
        continue;
      }
      if (d != day) {
        day = d;
        hour = minute = second = 0;
      }
      int h = nextBit(hourBits, hour);
      if (h < 0) {
        day++;
        hour = minute = second = 0;
        continue;
      }
      if (h != hour) {
        hour = h;
        minute = second = 0;
      }
      int mi = nextBit(minuteBits, minute);
      if (mi < 0) {
        hour++;
        minute = second = 0;
        continue;
      }
      if (mi != minute) {
        minute = mi;
        second = 0;
      }
      int s = nextBit(secondBits, second);
      if (s < 0) {
        minute++;
        second = 0;
        continue;
      }
      return LocalDateTime.of(year, month, day, hour, minute, s);
    }
  }

  /**
   * The shortest time between two consecutive fires, read on the clock of the expression's zone:
   * {@code 1 s} for {@code * * * * * *}, {@code 5 min} for {@code *}{@code /5 * * * *}, {@code 1
   * min} for {@code 0,59 0,23 * * *} (23:59, then 00:00 the next day). A daylight-saving change is
   * not counted: it moves fires on the clock, and never fires one local time twice.
   */
  public java.time.Duration shortestGap() {
    return CronGaps.shortest(secondBits, minuteBits, hourBits, monthBits, days);
  }

  /** The lowest set bit at index {@code from} or above, or -1. */
  private static int nextBit(long bits, int from) {
    if (from > 63) {
      return -1;
    }
    long rest = bits & (-1L << from);
    return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
  }

  /**
   * An English description such as "At 09:00, Monday through Friday" or "Every 5 minutes". Never
   * throws.
   */
  public String describe() {
    try {
      return CronDescriber.describe(fields, hasSeconds, macro);
    } catch (RuntimeException e) {
      return "Cron expression " + expression;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronExpression other && expression.equals(other.expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  @Override
  public String toString() {
    return expression;
  }
}
