package dev.chime.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * A coarse guard against accidental second-by-second scanning: a field-wise search takes about a
 * microsecond per call, a scan would take milliseconds for daily or yearly expressions. The bound
 * is loose so that a slow CI machine does not fail it; the measured figure is printed.
 */
class CronSpeedTest {

  @Test
  void nextAfterJumpsFieldWise() {
    String[] expressions = {
      "0 9 * * 1-5",
      "*/5 * * * *",
      "0 0 L * *",
      "15 10 ? * FRI#3",
      "0 0 29 2 *",
      "0 0 1 1 *",
      "30 2 * * *",
      "*/15 * * * * *",
      "0 0 15W * *",
      "0 0 * 2 MON#5"
    };
    ZoneId[] zones = {ZoneOffset.UTC, ZoneId.of("America/New_York"), ZoneId.of("Europe/Berlin")};
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    Instant wrap = Instant.parse("2150-01-01T00:00:00Z");
    long calls = 0;
    long nanos = 0;
    for (int round = 0; round < 2; round++) { // the first round warms up
      calls = 0;
      long began = System.nanoTime();
      for (String e : expressions) {
        CronExpression cron = CronExpression.parse(e);
        for (ZoneId zone : zones) {
          Instant t = start;
          for (int i = 0; i < 3000; i++) {
            t = cron.nextAfter(t, zone).orElseThrow();
            if (t.isAfter(wrap)) {
              t = start;
            }
            calls++;
          }
        }
      }
      nanos = System.nanoTime() - began;
    }
    double perCall = nanos / (double) calls;
    System.out.printf("CronSpeedTest: %d calls, %.0f ns per nextAfter%n", calls, perCall);
    assertThat(perCall).isLessThan(50_000);
  }
}
