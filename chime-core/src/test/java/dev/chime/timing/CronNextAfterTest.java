package dev.chime.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Next-fire tables in UTC: specials, names, macros, day-of-month/day-of-week OR, seconds. */
class CronNextAfterTest {

  /** The next fires as local date-times in the zone, starting strictly after {@code start}. */
  static List<String> fires(String expr, ZoneId zone, String start, int count) {
    CronExpression cron = CronExpression.parse(expr);
    Instant t = LocalDateTime.parse(start).atZone(zone).toInstant();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Optional<Instant> next = cron.nextAfter(t, zone);
      if (next.isEmpty()) {
        break;
      }
      assertThat(next.get()).isAfter(t);
      t = next.get();
      out.add(LocalDateTime.ofInstant(t, zone).toString());
    }
    return out;
  }

  @ParameterizedTest(name = "{0} after {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # Last day of the month, including leap February
          0 0 L * *           | 2024-01-15T00:00 | 2024-01-31T00:00 2024-02-29T00:00 2024-03-31T00:00 2024-04-30T00:00
          0 0 L 2 *           | 2023-01-01T00:00 | 2023-02-28T00:00 2024-02-29T00:00 2025-02-28T00:00
          0 0 L-3 * *         | 2025-01-01T00:00 | 2025-01-28T00:00 2025-02-25T00:00 2025-03-28T00:00 2025-04-27T00:00
          0 0 L-30 * *        | 2024-12-31T12:00 | 2025-01-01T00:00 2025-03-01T00:00 2025-05-01T00:00 2025-07-01T00:00
          # Nearest weekday: 15 on Sat -> Fri 14, on Sun -> Mon 16
          0 0 15W * *         | 2025-01-01T00:00 | 2025-01-15T00:00 2025-02-14T00:00 2025-03-14T00:00 2025-04-15T00:00 2025-05-15T00:00 2025-06-16T00:00
          # 1W never goes back into the previous month: Saturday the 1st -> Monday the 3rd, Sunday -> Monday 2nd
          0 0 1W * *          | 2024-12-31T12:00 | 2025-01-01T00:00 2025-02-03T00:00 2025-03-03T00:00 2025-04-01T00:00 2025-05-01T00:00 2025-06-02T00:00
          # 31W skips months without a 31st; Saturday 31st -> Friday 30th; Sunday 31st -> Friday 29th
          0 0 31W * *         | 2025-01-01T00:00 | 2025-01-31T00:00 2025-03-31T00:00 2025-05-30T00:00 2025-07-31T00:00 2025-08-29T00:00 2025-10-31T00:00 2025-12-31T00:00
          0 0 30W 2 *         | 2025-01-01T00:00 |
          0 0 LW * *          | 2025-01-01T00:00 | 2025-01-31T00:00 2025-02-28T00:00 2025-03-31T00:00 2025-04-30T00:00 2025-05-30T00:00 2025-06-30T00:00 2025-07-31T00:00 2025-08-29T00:00 2025-09-30T00:00 2025-10-31T00:00 2025-11-28T00:00
          # Last Friday
          0 0 * * 5L          | 2025-01-01T00:00 | 2025-01-31T00:00 2025-02-28T00:00 2025-03-28T00:00 2025-04-25T00:00 2025-05-30T00:00
          0 0 ? * FRIL        | 2025-01-01T00:00 | 2025-01-31T00:00 2025-02-28T00:00 2025-03-28T00:00 2025-04-25T00:00 2025-05-30T00:00
          # Third Friday
          15 10 ? * FRI#3     | 2025-01-01T00:00 | 2025-01-17T10:15 2025-02-21T10:15 2025-03-21T10:15 2025-04-18T10:15
          0 0 * * 5#3         | 2025-01-17T00:00 | 2025-02-21T00:00
          # Fifth Monday (MON = 1): only months that have one
          0 0 * * 1#5         | 2025-01-01T00:00 | 2025-03-31T00:00 2025-06-30T00:00 2025-09-29T00:00 2025-12-29T00:00
          0 0 * * MON#5       | 2025-01-01T00:00 | 2025-03-31T00:00 2025-06-30T00:00 2025-09-29T00:00 2025-12-29T00:00
          # Fifth Tuesday (2 = TUE here; Quartz's 2 would be Monday)
          0 0 * * 2#5         | 2025-01-01T00:00 | 2025-04-29T00:00 2025-07-29T00:00 2025-09-30T00:00 2025-12-30T00:00
          # Fifth Monday of February: only when Feb 29 is a Monday
          0 0 * 2 MON#5       | 2025-01-01T00:00 | 2044-02-29T00:00 2072-02-29T00:00
          # Leap day, across the non-leap 2100
          0 0 29 2 *          | 2025-01-01T00:00 | 2028-02-29T00:00 2032-02-29T00:00
          0 0 29 2 *          | 2096-03-01T00:00 | 2104-02-29T00:00
          # Specials mixed in lists
          0 0 1,15,L * *      | 2025-02-01T00:00 | 2025-02-15T00:00 2025-02-28T00:00 2025-03-01T00:00
          0 0 ? * 1#1,5L      | 2025-01-01T00:00 | 2025-01-06T00:00 2025-01-31T00:00 2025-02-03T00:00 2025-02-28T00:00
          # Macros
          @yearly             | 2025-06-01T00:00 | 2026-01-01T00:00 2027-01-01T00:00
          @annually           | 2025-01-01T00:00 | 2026-01-01T00:00
          @monthly            | 2025-01-31T12:00 | 2025-02-01T00:00 2025-03-01T00:00
          @weekly             | 2025-01-01T00:00 | 2025-01-05T00:00 2025-01-12T00:00
          @daily              | 2025-01-01T00:00 | 2025-01-02T00:00 2025-01-03T00:00
          @midnight           | 2025-12-31T23:59 | 2026-01-01T00:00
          @hourly             | 2025-01-01T00:30 | 2025-01-01T01:00 2025-01-01T02:00
          # Names, case-insensitive, in lists and ranges
          0 12 * JAN,JUL MON-FRI | 2025-01-29T13:00 | 2025-01-30T12:00 2025-01-31T12:00 2025-07-01T12:00
          0 12 * jan mon      | 2025-01-01T00:00 | 2025-01-06T12:00 2025-01-13T12:00
          0 0 * * SAT,SUN     | 2025-01-01T00:00 | 2025-01-04T00:00 2025-01-05T00:00 2025-01-11T00:00
          # 0 and 7 are Sunday; 5-7 is Friday through Sunday
          0 0 * * 7           | 2025-01-01T00:00 | 2025-01-05T00:00 2025-01-12T00:00
          0 0 * * 5-7         | 2025-01-01T00:00 | 2025-01-03T00:00 2025-01-04T00:00 2025-01-05T00:00 2025-01-10T00:00
          # Day-of-month OR day-of-week when both are restricted
          0 0 13 * FRI        | 2025-01-01T00:00 | 2025-01-03T00:00 2025-01-10T00:00 2025-01-13T00:00 2025-01-17T00:00 2025-01-24T00:00 2025-01-31T00:00 2025-02-07T00:00
          0 0 1/10 * MON      | 2025-01-01T00:00 | 2025-01-06T00:00 2025-01-11T00:00 2025-01-13T00:00 2025-01-20T00:00 2025-01-21T00:00
          # A day-of-month starting with * does not make the OR (crontab(5)): both must match
          0 0 */10 * MON      | 2025-01-01T00:00 | 2025-03-31T00:00 2025-04-21T00:00 2025-07-21T00:00
          0 0 L * 1#1         | 2025-01-01T00:00 | 2025-01-06T00:00 2025-01-31T00:00 2025-02-03T00:00 2025-02-28T00:00
          # Only one restricted: the other is ignored
          0 0 13 * *          | 2025-01-01T00:00 | 2025-01-13T00:00 2025-02-13T00:00
          0 0 13 * ?          | 2025-01-01T00:00 | 2025-01-13T00:00 2025-02-13T00:00
          0 0 ? * FRI         | 2025-01-01T00:00 | 2025-01-03T00:00 2025-01-10T00:00
          # Steps
          */20 * * * *        | 2025-01-01T00:50 | 2025-01-01T01:00 2025-01-01T01:20 2025-01-01T01:40
          10/25 * * * *       | 2025-01-01T00:00 | 2025-01-01T00:10 2025-01-01T00:35 2025-01-01T01:10
          10-30/10 9-10 * * * | 2025-01-01T00:00 | 2025-01-01T09:10 2025-01-01T09:20 2025-01-01T09:30 2025-01-01T10:10
          0 0 1 */5 *         | 2025-01-01T00:00 | 2025-06-01T00:00 2025-11-01T00:00 2026-01-01T00:00
          # 6 fields: seconds first
          */20 * * * * *      | 2025-01-01T00:00 | 2025-01-01T00:00:20 2025-01-01T00:00:40 2025-01-01T00:01
          30 0 12 * * *       | 2025-01-01T12:00:30 | 2025-01-02T12:00:30
          0,30 59 23 31 12 *  | 2025-06-01T00:00 | 2025-12-31T23:59 2025-12-31T23:59:30 2026-12-31T23:59
          # Year rollover and month lengths
          0 0 31 * *          | 2025-01-31T00:00 | 2025-03-31T00:00 2025-05-31T00:00
          59 23 31 12 *       | 2025-12-31T23:59 | 2026-12-31T23:59
          """)
  void nextFires(String expr, String start, String expected) {
    List<String> want = expected == null ? List.of() : Arrays.asList(expected.trim().split("\\s+"));
    assertThat(fires(expr, ZoneOffset.UTC, start, want.isEmpty() ? 3 : want.size()))
        .as("%s after %s", expr, start)
        .containsExactlyElementsOf(want);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 30W 2 *", "0 0 L-30 2 *"})
  void neverFires(String expr) {
    CronExpression cron = CronExpression.parse(expr);
    assertThat(cron.nextAfter(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC)).isEmpty();
    assertThat(cron.nextAfter(Instant.parse("2025-01-01T00:00:00Z"), ZoneId.of("Europe/Berlin")))
        .isEmpty();
  }

  @Test
  void isStrictlyAfterEvenWithinTheSecond() {
    CronExpression everySecond = CronExpression.parse("* * * * * *");
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(everySecond.nextAfter(t, ZoneOffset.UTC)).contains(t.plusSeconds(1));
    assertThat(everySecond.nextAfter(t.plusMillis(999), ZoneOffset.UTC)).contains(t.plusSeconds(1));
    assertThat(everySecond.nextAfter(t.minusNanos(1), ZoneOffset.UTC)).contains(t);
  }

  @Test
  void readsTheExpressionInTheZone() {
    CronExpression nine = CronExpression.parse("0 9 * * *");
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(nine.nextAfter(t, ZoneId.of("Asia/Shanghai")))
        .contains(Instant.parse("2025-01-01T01:00:00Z"));
    assertThat(nine.nextAfter(t, ZoneId.of("America/New_York")))
        .contains(Instant.parse("2025-01-01T14:00:00Z"));
    assertThat(nine.nextAfter(t, ZoneOffset.ofHoursMinutes(5, 30)))
        .contains(Instant.parse("2025-01-01T03:30:00Z"));
  }

  @Test
  void farEndsOfTimeGiveEmptyRatherThanThrowing() {
    CronExpression cron = CronExpression.parse("0 0 1 1 *");
    assertThat(cron.nextAfter(Instant.MAX, ZoneOffset.UTC)).isEmpty();
    assertThat(cron.nextAfter(Instant.parse("+999999999-06-01T00:00:00Z"), ZoneOffset.UTC))
        .isEmpty();
    assertThat(cron.nextAfter(Instant.MIN, ZoneOffset.UTC)).isEmpty();
    assertThat(cron.nextAfter(Instant.parse("-5000-06-01T00:00:00Z"), ZoneOffset.UTC))
        .contains(Instant.parse("-4999-01-01T00:00:00Z"));
  }
}
