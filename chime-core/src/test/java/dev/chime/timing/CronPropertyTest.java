package dev.chime.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link CronExpression#nextAfter} on random minute-resolution expressions, checked
 * by brute force against an oracle built by the generator itself (each generated field comes with
 * its own predicate, written independently of the parser):
 *
 * <ul>
 *   <li>in UTC, the answer is after t, matches, and no minute strictly between t and the answer
 *       matches;
 *   <li>in any zone, the answer is the smallest {@code ZonedDateTime.of(L, zone)} instant after t
 *       over matching local minutes L (this is the DST rule: gaps shift later, overlaps take the
 *       earlier offset, duplicates collapse).
 * </ul>
 */
class CronPropertyTest {

  private static final long SEED = 77L;
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };

  /** A generated field: its text and which values it allows. */
  record Field(String text, IntPredicate allows) {}

  /** A generated expression with its oracle. */
  record Gen(
      String text,
      IntPredicate minute,
      IntPredicate hour,
      Predicate<LocalDate> day,
      IntPredicate month) {
    boolean matches(LocalDateTime l) {
      return minute.test(l.getMinute())
          && hour.test(l.getHour())
          && month.test(l.getMonthValue())
          && day.test(l.toLocalDate());
    }
  }

  @Test
  void nextAfterIsTheFirstMatchInUtc() {
    Random random = new Random(SEED);
    for (int n = 0; n < 1500; n++) {
      Gen g = generate(random);
      Instant t =
          Instant.parse("2020-01-01T00:00:00Z")
              .plusSeconds((long) (random.nextDouble() * 10 * 365 * 86400));
      String context = "seed=" + SEED + " #" + n + " '" + g.text() + "' after " + t;
      Optional<Instant> next = CronExpression.parse(g.text()).nextAfter(t, ZoneOffset.UTC);
      Instant limit = t.plus(3, ChronoUnit.DAYS);
      if (next.isPresent()) {
        assertThat(next.get()).as(context).isAfter(t);
        assertThat(g.matches(LocalDateTime.ofInstant(next.get(), ZoneOffset.UTC)))
            .as(context + " -> " + next.get())
            .isTrue();
        if (next.get().isBefore(limit)) {
          limit = next.get();
        }
      }
      LocalDateTime l = LocalDateTime.ofInstant(t, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
      for (l = l.plusMinutes(1);
          l.toInstant(ZoneOffset.UTC).isBefore(limit);
          l = l.plusMinutes(1)) {
        if (g.matches(l)) {
          assertThat(l).as(context + ": skipped a match, answered " + next).isNull();
        }
      }
    }
  }

  @Test
  void nextAfterIsTheSmallestResolvedMatchInAnyZone() {
    Random random = new Random(SEED + 1);
    List<String> zones = new ArrayList<>(ZoneId.getAvailableZoneIds());
    zones.sort(null);
    for (int n = 0; n < 800; n++) {
      Gen g = generate(random);
      ZoneId zone = ZoneId.of(zones.get(random.nextInt(zones.size())));
      Instant t =
          Instant.parse("2000-01-01T00:00:00Z")
              .plusSeconds((long) (random.nextDouble() * 35 * 365 * 86400));
      ZoneOffsetTransition upcoming = zone.getRules().nextTransition(t);
      if (random.nextInt(3) > 0 && upcoming != null) {
        // Mostly start within a few hours of a transition, where the rules matter.
        t = upcoming.getInstant().plusSeconds(random.nextInt(6 * 3600) - 3 * 3600);
      }
      String context =
          "seed="
              + (SEED + 1)
              + " #"
              + n
              + " '"
              + g.text()
              + "' in "
              + zone
              + " after "
              + t.atZone(zone);
      Optional<Instant> next = CronExpression.parse(g.text()).nextAfter(t, zone);

      // Brute force: every local minute from a day before to two days after t's local time.
      LocalDateTime local = LocalDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.MINUTES);
      Instant expected = null;
      for (LocalDateTime l = local.minusDays(1);
          l.isBefore(local.plusDays(2));
          l = l.plusMinutes(1)) {
        if (g.matches(l)) {
          Instant i = ZonedDateTime.of(l, zone).toInstant();
          if (i.isAfter(t) && (expected == null || i.isBefore(expected))) {
            expected = i;
          }
        }
      }
      if (expected != null && expected.isBefore(t.plus(1, ChronoUnit.DAYS))) {
        assertThat(next).as(context).contains(expected);
      } else if (next.isPresent()) {
        assertThat(next.get()).as(context).isAfter(t.plus(1, ChronoUnit.DAYS).minusSeconds(1));
      }
    }
  }

  // ---- generation with oracle ----

  static Gen generate(Random r) {
    Field minute = numeric(r, 0, 59);
    Field hour = r.nextInt(4) == 0 ? new Field("*", v -> true) : numeric(r, 0, 23);
    Field month =
        r.nextInt(3) > 0
            ? new Field("*", v -> true)
            : r.nextBoolean() ? numeric(r, 1, 12) : monthNames(r);
    String domText;
    Predicate<LocalDate> dom;
    boolean domRestricted = r.nextInt(3) > 0;
    if (domRestricted) {
      Object[] d = dayOfMonth(r);
      domText = (String) d[0];
      @SuppressWarnings("unchecked")
      Predicate<LocalDate> p = (Predicate<LocalDate>) d[1];
      dom = p;
    } else {
      domText = r.nextBoolean() ? "*" : "?";
      dom = x -> true;
    }
    String dowText;
    Predicate<LocalDate> dow;
    boolean dowRestricted = r.nextInt(3) == 0;
    if (dowRestricted) {
      Object[] d = dayOfWeek(r);
      dowText = (String) d[0];
      @SuppressWarnings("unchecked")
      Predicate<LocalDate> p = (Predicate<LocalDate>) d[1];
      dow = p;
    } else {
      dowText = r.nextBoolean() ? "*" : "?";
      dow = x -> true;
    }
    Predicate<LocalDate> day;
    boolean domLimits = !domText.startsWith("*") && !domText.equals("?");
    boolean dowLimits = !dowText.startsWith("*") && !dowText.equals("?");
    if (domLimits && dowLimits) {
      day = dom.or(dow); // classic cron: either may match
    } else {
      day = dom.and(dow); // a field starting with * only narrows through its step
    }
    String text =
        minute.text() + " " + hour.text() + " " + domText + " " + month.text() + " " + dowText;
    return new Gen(text, minute.allows(), hour.allows(), day, month.allows());
  }

  /** Numbers, ranges, lists and steps over min..max. */
  static Field numeric(Random r, int min, int max) {
    int parts = 1 + r.nextInt(3);
    List<String> texts = new ArrayList<>();
    List<IntPredicate> preds = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      int a = min + r.nextInt(max - min + 1);
      int b = a + r.nextInt(max - a + 1);
      int step = 1 + r.nextInt(Math.max(1, (max - min + 1) / 2));
      switch (r.nextInt(6)) {
        case 0 -> {
          texts.add("*/" + step);
          preds.add(v -> (v - min) % step == 0);
        }
        case 1 -> {
          texts.add(a + "-" + b);
          preds.add(v -> v >= a && v <= b);
        }
        case 2 -> {
          texts.add(a + "-" + b + "/" + step);
          preds.add(v -> v >= a && v <= b && (v - a) % step == 0);
        }
        case 3 -> {
          texts.add(a + "/" + step);
          preds.add(v -> v >= a && (v - a) % step == 0);
        }
        default -> {
          texts.add(Integer.toString(a));
          preds.add(v -> v == a);
        }
      }
    }
    return new Field(String.join(",", texts), v -> preds.stream().anyMatch(p -> p.test(v)));
  }

  static Field monthNames(Random r) {
    int a = r.nextInt(12);
    int b = a + r.nextInt(12 - a);
    String text = (r.nextBoolean() ? MONTHS[a] : MONTHS[a].toLowerCase()) + "-" + MONTHS[b];
    return new Field(text, v -> v >= a + 1 && v <= b + 1);
  }

  /** Day-of-month text and predicate, including L, L-n, nW and LW. */
  static Object[] dayOfMonth(Random r) {
    switch (r.nextInt(8)) {
      case 0 -> {
        return new Object[] {
          "L", (Predicate<LocalDate>) d -> d.getDayOfMonth() == d.lengthOfMonth()
        };
      }
      case 1 -> {
        int n = r.nextInt(31);
        return new Object[] {
          "L-" + n, (Predicate<LocalDate>) d -> d.getDayOfMonth() == d.lengthOfMonth() - n
        };
      }
      case 2 -> {
        int n = 1 + r.nextInt(31);
        return new Object[] {n + "W", (Predicate<LocalDate>) d -> d.equals(nearestWeekday(d, n))};
      }
      case 3 -> {
        return new Object[] {"LW", (Predicate<LocalDate>) d -> d.equals(lastWeekday(d))};
      }
      default -> {
        Field f = numeric(r, 1, 31);
        return new Object[] {
          f.text(), (Predicate<LocalDate>) d -> f.allows().test(d.getDayOfMonth())
        };
      }
    }
  }

  private static LocalDate nearestWeekday(LocalDate inMonth, int n) {
    if (n > inMonth.lengthOfMonth()) {
      return null;
    }
    LocalDate d = inMonth.withDayOfMonth(n);
    if (d.getDayOfWeek() == DayOfWeek.SATURDAY) {
      return n == 1 ? d.plusDays(2) : d.minusDays(1);
    }
    if (d.getDayOfWeek() == DayOfWeek.SUNDAY) {
      return n == d.lengthOfMonth() ? d.minusDays(2) : d.plusDays(1);
    }
    return d;
  }

  private static LocalDate lastWeekday(LocalDate inMonth) {
    LocalDate d = inMonth.withDayOfMonth(inMonth.lengthOfMonth());
    while (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY) {
      d = d.minusDays(1);
    }
    return d;
  }

  /** Day-of-week text (0-7 or names) and predicate, including nL and n#k. */
  static Object[] dayOfWeek(Random r) {
    int w = r.nextInt(8);
    String name = r.nextBoolean() ? DAYS[w % 7] : Integer.toString(w);
    int cronDay = w % 7; // 0 = Sunday
    switch (r.nextInt(5)) {
      case 0 -> {
        return new Object[] {
          name + "L",
          (Predicate<LocalDate>)
              d -> dow(d) == cronDay && d.plusDays(7).getMonthValue() != d.getMonthValue()
        };
      }
      case 1 -> {
        int k = 1 + r.nextInt(5);
        return new Object[] {
          name + "#" + k,
          (Predicate<LocalDate>) d -> dow(d) == cronDay && (d.getDayOfMonth() - 1) / 7 + 1 == k
        };
      }
      case 2 -> {
        int a = r.nextInt(8);
        int b = a + r.nextInt(8 - a);
        return new Object[] {
          a + "-" + b,
          (Predicate<LocalDate>)
              d -> {
                int v = dow(d);
                return (v >= a && v <= b) || (v == 0 && b == 7);
              }
        };
      }
      default -> {
        Field f = numeric(r, 0, 6);
        return new Object[] {f.text(), (Predicate<LocalDate>) d -> f.allows().test(dow(d))};
      }
    }
  }

  private static int dow(LocalDate d) {
    return d.getDayOfWeek().getValue() % 7;
  }
}
