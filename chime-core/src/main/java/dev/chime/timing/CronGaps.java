package dev.chime.timing;

import java.time.Duration;
import java.time.LocalDate;

/**
 * The shortest time between two consecutive fires of a cron expression, on the clock of its zone.
 *
 * <p>Worked out from the fields rather than by listing fires: within a day, the fire times are
 * every (hour, minute, second) of the fields' values, in that order, so two consecutive fires are
 * either two seconds of one minute, the last second of a minute and the first of the next minute in
 * the list, the last of an hour and the first of the next hour, or the last fire of a day and the
 * first of the next matching day. The days are looked at over one 400-year Gregorian cycle, in
 * which the calendar repeats, so the answer does not depend on when it is asked.
 */
final class CronGaps {
  private static final int CYCLE_YEARS = 400;
  private static final long DAY_SECONDS = 86_400;

  private CronGaps() {}

  static Duration shortest(
      long secondBits, long minuteBits, long hourBits, long monthBits, DayMatcher days) {
    long gap = Long.MAX_VALUE;
    int firstSecond = first(secondBits);
    int lastSecond = last(secondBits);
    int firstMinute = first(minuteBits);
    int lastMinute = last(minuteBits);
    gap = Math.min(gap, closest(secondBits));
    long minuteStep = closest(minuteBits);
    if (minuteStep != Long.MAX_VALUE) {
      gap = Math.min(gap, 60 * minuteStep - (lastSecond - firstSecond));
    }
    long hourStep = closest(hourBits);
    long hourSpan = (lastMinute * 60L + lastSecond) - (firstMinute * 60L + firstSecond);
    if (hourStep != Long.MAX_VALUE) {
      gap = Math.min(gap, 3_600 * hourStep - hourSpan);
    }
    long daySpan = (last(hourBits) - first(hourBits)) * 3_600L + hourSpan;
    if (DAY_SECONDS - daySpan < gap) {
      // only when the day's last and next day's first fire may be closer than any gap in a day
      long dayStep = closestDays(monthBits, days);
      if (dayStep != Long.MAX_VALUE) {
        gap = Math.min(gap, dayStep * DAY_SECONDS - daySpan);
      }
    }
    return Duration.ofSeconds(gap);
  }

  /**
   * The fewest days between two matching days, over one Gregorian cycle; MAX_VALUE if fewer than
   * two.
   */
  private static long closestDays(long monthBits, DayMatcher days) {
    long closest = Long.MAX_VALUE;
    long previous = Long.MIN_VALUE;
    for (int year = 2000; year < 2000 + CYCLE_YEARS && closest > 1; year++) {
      for (int month = 1; month <= 12; month++) {
        if ((monthBits & (1L << month)) == 0) {
          continue;
        }
        LocalDate first = LocalDate.of(year, month, 1);
        long mask = days.mask(first.lengthOfMonth(), first.getDayOfWeek().getValue() % 7);
        long epochDayBefore = first.toEpochDay() - 1;
        for (long rest = mask; rest != 0; rest &= rest - 1) {
          long day = epochDayBefore + Long.numberOfTrailingZeros(rest);
          if (previous != Long.MIN_VALUE) {
            closest = Math.min(closest, day - previous);
          }
          previous = day;
        }
      }
    }
    return closest;
  }

  /** The smallest difference between two consecutive set bits; MAX_VALUE if fewer than two. */
  private static long closest(long bits) {
    long closest = Long.MAX_VALUE;
    int previous = -1;
    for (long rest = bits; rest != 0; rest &= rest - 1) {
      int bit = Long.numberOfTrailingZeros(rest);
      if (previous >= 0) {
        closest = Math.min(closest, bit - previous);
      }
      previous = bit;
    }
    return closest;
  }

  private static int first(long bits) {
    return Long.numberOfTrailingZeros(bits);
  }

  private static int last(long bits) {
    return 63 - Long.numberOfLeadingZeros(bits);
  }
}
