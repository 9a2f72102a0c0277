package dev.chime.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Daylight saving time: gaps shift later by the gap's length (as {@code ZonedDateTime.of}), two
 * local times landing on the same instant fire once, and overlaps fire once at the earlier offset.
 */
class CronDstTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  /** The next fires after {@code start} (an offset date-time), as offset date-times in the zone. */
  private static List<String> fires(String expr, ZoneId zone, String start, int count) {
    CronExpression cron = CronExpression.parse(expr);
    Instant t = OffsetDateTime.parse(start).toInstant();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant next = cron.nextAfter(t, zone).orElseThrow();
      assertThat(next).isAfter(t);
      t = next;
      out.add(t.atZone(zone).toOffsetDateTime().toString());
    }
    return out;
  }

  @Test
  void gapTimeIsShiftedLaterByTheGap() {
    // New York 2025-03-09: 02:00 EST jumps to 03:00 EDT.
    assertThat(fires("30 2 * * *", NEW_YORK, "2025-03-08T12:00-05:00", 2))
        .containsExactly("2025-03-09T03:30-04:00", "2025-03-10T02:30-04:00");
    // The same as ZonedDateTime.of resolves it.
    assertThat(
            CronExpression.parse("30 2 * * *")
                .nextAfter(Instant.parse("2025-03-08T12:00:00Z"), NEW_YORK)
                .orElseThrow())
        .isEqualTo(ZonedDateTime.of(LocalDateTime.parse("2025-03-09T02:30"), NEW_YORK).toInstant());
    // Berlin 2025-03-30: 02:00 CET jumps to 03:00 CEST.
    assertThat(fires("30 2 * * *", BERLIN, "2025-03-29T12:00+01:00", 2))
        .containsExactly("2025-03-30T03:30+02:00", "2025-03-31T02:30+02:00");
    // Lord Howe 2025-10-05: 02:00 (+10:30) jumps to 02:30 (+11:00), a 30-minute gap.
    assertThat(fires("15 2 * * *", LORD_HOWE, "2025-10-04T12:00+10:30", 2))
        .containsExactly("2025-10-05T02:45+11:00", "2025-10-06T02:15+11:00");
    // Seconds survive the shift.
    assertThat(fires("7 15 2 * * *", NEW_YORK, "2025-03-09T00:00-05:00", 1))
        .containsExactly("2025-03-09T03:15:07-04:00");
  }

  @Test
  void gapTimeLandingOnAnotherMatchingTimeFiresOnce() {
    // 02:30 shifts to 03:30 EDT, which 03:30 also maps to: one fire.
    assertThat(fires("30 2,3 * * *", NEW_YORK, "2025-03-08T12:00-05:00", 3))
        .containsExactly(
            "2025-03-09T03:30-04:00", "2025-03-10T02:30-04:00", "2025-03-10T03:30-04:00");
    // 02:00 and 02:30 shift onto 03:00 and 03:30; the order of instants is kept strictly rising.
    assertThat(fires("0,30 2,3 * * *", NEW_YORK, "2025-03-09T01:00-05:00", 3))
        .containsExactly(
            "2025-03-09T03:00-04:00", "2025-03-09T03:30-04:00", "2025-03-10T02:00-04:00");
    // Lord Howe: 02:00 and 02:15 shift onto the real 02:30 and 02:45.
    assertThat(fires("*/15 2 * * *", LORD_HOWE, "2025-10-05T00:00+10:30", 3))
        .containsExactly(
            "2025-10-05T02:30+11:00", "2025-10-05T02:45+11:00", "2025-10-06T02:00+11:00");
    // Shifted 02:15 (02:45) lies after the real 02:30, so they fire in instant order.
    assertThat(fires("15 2 * * *", LORD_HOWE, "2025-10-05T00:00+10:30", 1))
        .containsExactly("2025-10-05T02:45+11:00");
    assertThat(fires("15,30 2 * * *", LORD_HOWE, "2025-10-05T00:00+10:30", 3))
        .containsExactly(
            "2025-10-05T02:30+11:00", "2025-10-05T02:45+11:00", "2025-10-06T02:15+11:00");
  }

  @Test
  void askingFromInsideTheShiftedStretchStillSeesTheShiftedFire() {
    // Fires are a set of instants; 02:30's fire on 2025-03-09 is at 03:30 EDT, so asking from
    // 03:10 EDT that day answers 03:30 EDT.
    assertThat(fires("30 2 * * *", NEW_YORK, "2025-03-09T03:10-04:00", 2))
        .containsExactly("2025-03-09T03:30-04:00", "2025-03-10T02:30-04:00");
    // And asking from exactly that fire moves on.
    assertThat(fires("30 2 * * *", NEW_YORK, "2025-03-09T03:30-04:00", 1))
        .containsExactly("2025-03-10T02:30-04:00");
  }

  @Test
  void overlapFiresOnceAtTheEarlierOffset() {
    // New York 2025-11-02: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
    assertThat(fires("30 1 * * *", NEW_YORK, "2025-11-01T12:00-04:00", 2))
        .containsExactly("2025-11-02T01:30-04:00", "2025-11-03T01:30-05:00");
    // Asked from inside the second pass, the repeat is skipped.
    assertThat(fires("30 1 * * *", NEW_YORK, "2025-11-02T01:10-05:00", 1))
        .containsExactly("2025-11-03T01:30-05:00");
    assertThat(fires("*/15 * * * *", NEW_YORK, "2025-11-02T01:20-05:00", 2))
        .containsExactly("2025-11-02T02:00-05:00", "2025-11-02T02:15-05:00");
    assertThat(fires("*/15 * * * *", NEW_YORK, "2025-11-02T01:40-04:00", 3))
        .containsExactly(
            "2025-11-02T01:45-04:00", "2025-11-02T02:00-05:00", "2025-11-02T02:15-05:00");
    // Every hour: 01:00 EDT fires, 01:00 EST does not.
    assertThat(fires("0 * * * *", NEW_YORK, "2025-11-01T23:30-04:00", 4))
        .containsExactly(
            "2025-11-02T00:00-04:00",
            "2025-11-02T01:00-04:00",
            "2025-11-02T02:00-05:00",
            "2025-11-02T03:00-05:00");
    // Berlin 2025-10-26: 03:00 CEST falls back to 02:00 CET.
    assertThat(fires("30 2 * * *", BERLIN, "2025-10-25T12:00+02:00", 2))
        .containsExactly("2025-10-26T02:30+02:00", "2025-10-27T02:30+01:00");
    assertThat(fires("30 2 * * *", BERLIN, "2025-10-26T02:40+01:00", 1))
        .containsExactly("2025-10-27T02:30+01:00");
    // Lord Howe 2025-04-06: 02:00 (+11:00) falls back to 01:30 (+10:30).
    assertThat(fires("45 1 * * *", LORD_HOWE, "2025-04-05T12:00+11:00", 2))
        .containsExactly("2025-04-06T01:45+11:00", "2025-04-07T01:45+10:30");
    assertThat(fires("*/10 1-2 * * *", LORD_HOWE, "2025-04-06T01:35+10:30", 2))
        .containsExactly("2025-04-06T02:00+10:30", "2025-04-06T02:10+10:30");
  }

  @Test
  void wholeSkippedDayFiresOnceAtTheShiftedTime() {
    // Samoa skipped 2011-12-30 entirely (a 24-hour gap): its 10:00 shifts to 2011-12-31 10:00,
    // where it coincides with that day's own 10:00.
    ZoneId apia = ZoneId.of("Pacific/Apia");
    assertThat(fires("0 10 * * *", apia, "2011-12-29T00:00-10:00", 3))
        .containsExactly(
            "2011-12-29T10:00-10:00", "2011-12-31T10:00+14:00", "2012-01-01T10:00+14:00");
    assertThat(fires("0 10 30 12 *", apia, "2011-12-29T00:00-10:00", 2))
        .containsExactly("2011-12-31T10:00+14:00", "2012-12-30T10:00+14:00");
  }

  @Test
  void noDstInShanghai() {
    assertThat(fires("30 2 * * *", SHANGHAI, "2025-03-09T00:00+08:00", 2))
        .containsExactly("2025-03-09T02:30+08:00", "2025-03-10T02:30+08:00");
  }

  /**
   * Counts the fires in one local day and checks they rise strictly; also returns the largest and
   * smallest gap between consecutive fires.
   */
  @ParameterizedTest(name = "{0} {1} {2}: {3} fires")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          America/New_York    | 2025-03-09 | * * * * *    | 1380 | 60   | 60
          America/New_York    | 2025-03-09 | */15 * * * * | 92   | 900  | 900
          America/New_York    | 2025-03-09 | 0 * * * *    | 23   | 3600 | 3600
          America/New_York    | 2025-11-02 | * * * * *    | 1440 | 60   | 3660
          America/New_York    | 2025-11-02 | */15 * * * * | 96   | 900  | 4500
          America/New_York    | 2025-11-02 | 0 * * * *    | 24   | 3600 | 7200
          Europe/Berlin       | 2025-03-30 | * * * * *    | 1380 | 60   | 60
          Europe/Berlin       | 2025-03-30 | */15 * * * * | 92   | 900  | 900
          Europe/Berlin       | 2025-10-26 | * * * * *    | 1440 | 60   | 3660
          Europe/Berlin       | 2025-10-26 | */15 * * * * | 96   | 900  | 4500
          Australia/Lord_Howe | 2025-10-05 | * * * * *    | 1410 | 60   | 60
          Australia/Lord_Howe | 2025-10-05 | */15 * * * * | 94   | 900  | 900
          Australia/Lord_Howe | 2025-04-06 | * * * * *    | 1440 | 60   | 1860
          Australia/Lord_Howe | 2025-04-06 | */15 * * * * | 96   | 900  | 2700
          Asia/Shanghai       | 2025-03-09 | * * * * *    | 1440 | 60   | 60
          Asia/Shanghai       | 2025-11-02 | */15 * * * * | 96   | 900  | 900
          """)
  void firesOncePerLocalTimeAcrossTransitions(
      String zoneId, String date, String expr, int count, long minGap, long maxGap) {
    ZoneId zone = ZoneId.of(zoneId);
    LocalDate day = LocalDate.parse(date);
    Instant from = day.atStartOfDay(zone).toInstant();
    Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
    CronExpression cron = CronExpression.parse(expr);
    List<Instant> seen = new ArrayList<>();
    Instant t = from.minusSeconds(1);
    while (true) {
      Instant next = cron.nextAfter(t, zone).orElseThrow();
      assertThat(next).isAfter(t);
      if (!next.isBefore(to)) {
        break;
      }
      seen.add(next);
      t = next;
    }
    assertThat(seen).hasSize(count);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 1; i < seen.size(); i++) {
      long gap = Duration.between(seen.get(i - 1), seen.get(i)).toSeconds();
      min = Math.min(min, gap);
      max = Math.max(max, gap);
    }
    assertThat(min).as("smallest gap").isEqualTo(minGap);
    assertThat(max).as("largest gap").isEqualTo(maxGap);
  }
}
