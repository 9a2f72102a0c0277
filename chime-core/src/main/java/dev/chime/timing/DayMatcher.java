package dev.chime.timing;

import dev.chime.timing.CronField.Item;

/**
 * Decides which days of a given month match the day-of-month and day-of-week fields, as a bit mask
 * (bit d set when day d, 1-31, matches).
 *
 * <p>When both fields are restricted (neither starts with {@code *} nor is {@code ?}) a day matches
 * if either field matches it, as in classic (Vixie) cron and crontab(5); otherwise a day must match
 * both, which for an unrestricted {@code *} or {@code ?} means only the other decides.
 */
final class DayMatcher {
  private final boolean domRestricted;
  private final boolean dowRestricted;

  /** Plain day-of-month values, bits 1-31. */
  private final long domBits;

  /** {@code L-n} offsets: bit n set for L-n (L is L-0). */
  private final long lastDayOffsets;

  /** {@code nW} days, bits 1-31. */
  private final long nearestWeekdayDays;

  private final boolean lastWeekday;

  /** Plain day-of-week values, bits 0-6 (0 = Sunday). */
  private final int dowBits;

  /** {@code nL} weekdays, bits 0-6. */
  private final int lastDows;

  /** {@code w#k}: bit (k-1)*7+w. */
  private final long nthDows;

  DayMatcher(CronField dom, CronField dow) {
    domRestricted = dom.restricted();
    dowRestricted = dow.restricted();
    domBits = dom.bits();
    dowBits = (int) dow.bits();
    long offsets = 0;
    long nearest = 0;
    boolean lw = false;
    for (Item item : dom.items()) {
      switch (item.type()) {
        case LAST_DAY -> offsets |= 1L << item.a();
        case NEAREST_WEEKDAY -> nearest |= 1L << item.a();
        case LAST_WEEKDAY -> lw = true;
        default -> {}
      }
    }
    lastDayOffsets = offsets;
    nearestWeekdayDays = nearest;
    lastWeekday = lw;
    int last = 0;
    long nth = 0;
    for (Item item : dow.items()) {
      switch (item.type()) {
        case LAST_DOW -> last |= 1 << item.a();
        case NTH_DOW -> nth |= 1L << ((item.b() - 1) * 7 + item.a());
        default -> {}
      }
    }
    lastDows = last;
    nthDows = nth;
  }

  /**
   * Matching days of a month.
   *
   * @param length days in the month (28-31)
   * @param firstDow day of week of the 1st, 0 = Sunday .. 6 = Saturday
   */
  long mask(int length, int firstDow) {
    long all = ((1L << (length + 1)) - 1) & ~1L;
    if (domRestricted && dowRestricted) {
      return domMask(length, firstDow, all) | dowMask(length, firstDow);
    }
    // A field written with a leading * (or as ?) does not make the OR: both must then match,
    // and "*" alone matches every day. So "*/2" in day-of-month with "MON" means odd-day Mondays.
    return domMask(length, firstDow, all) & dowMask(length, firstDow);
  }

  /** Whether some month of some year can match at all, given the months allowed (bits 1-12). */
  boolean canEverMatch(long monthBits) {
    for (int month = 1; month <= 12; month++) {
      if ((monthBits & (1L << month)) == 0) {
        continue;
      }
      int[] lengths = month == 2 ? new int[] {28, 29} : new int[] {monthLength(month)};
      for (int length : lengths) {
        for (int firstDow = 0; firstDow < 7; firstDow++) {
          if (mask(length, firstDow) != 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static int monthLength(int month) {
    return switch (month) {
      case 4, 6, 9, 11 -> 30;
      case 2 -> 29;
      default -> 31;
    };
  }

  private static int dowOf(int day, int firstDow) {
    return (firstDow + day - 1) % 7;
  }

  private long domMask(int length, int firstDow, long all) {
    long m = domBits & all;
    if (lastDayOffsets != 0) {
      for (int n = 0; n < length; n++) {
        if ((lastDayOffsets & (1L << n)) != 0) {
          m |= 1L << (length - n);
        }
      }
    }
    if (nearestWeekdayDays != 0) {
      for (int d = 1; d <= length; d++) {
        if ((nearestWeekdayDays & (1L << d)) != 0) {
          m |= 1L << nearestWeekday(d, length, firstDow);
        }
      }
    }
    if (lastWeekday) {
      int dow = dowOf(length, firstDow);
      m |= 1L << (dow == 6 ? length - 1 : dow == 0 ? length - 2 : length);
    }
    return m;
  }

  /**
   * The weekday nearest day d without leaving the month, as Quartz: a Saturday moves to Friday (or
   * to Monday the 3rd when d is the 1st), a Sunday moves to Monday (or to Friday when d is the last
   * day). A day beyond the month's length never matches (31W does not fire in April).
   */
  private static int nearestWeekday(int d, int length, int firstDow) {
    int dow = dowOf(d, firstDow);
    if (dow == 6) {
      return d == 1 ? 3 : d - 1;
    }
    if (dow == 0) {
      return d == length ? d - 2 : d + 1;
    }
    return d;
  }

  private long dowMask(int length, int firstDow) {
    long m = 0;
    for (int w = 0; w < 7; w++) {
      int first = (w - firstDow + 7) % 7 + 1; // first day of the month that is weekday w
      if ((dowBits & (1 << w)) != 0) {
        for (int d = first; d <= length; d += 7) {
          m |= 1L << d;
        }
      }
      if ((lastDows & (1 << w)) != 0) {
        m |= 1L << (first + (length - first) / 7 * 7);
      }
      if (nthDows != 0) {
        for (int k = 0; k < 5; k++) {
          if ((nthDows & (1L << (k * 7 + w))) != 0 && first + 7 * k <= length) {
            m |= 1L << (first + 7 * k);
          }
        }
      }
    }
    return m;
  }
}
