package dev.chime.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.timing.CronExpression;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TriggerTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  void anIntervalKeepsItsGridWhenMissedInstantsAreSkipped() {
    IntervalTrigger every = new IntervalTrigger(Duration.ofSeconds(60));

    assertThat(every.next(T0)).contains(T0.plusSeconds(60));
    assertThat(every.skipMissed(T0, T0.plusSeconds(150))).contains(T0.plusSeconds(180));
    assertThat(every.skipMissed(T0, T0.plusSeconds(180))).contains(T0.plusSeconds(240));
    assertThat(every.first(T0)).contains(T0.plusSeconds(60));
  }

  @Test
  void aCronGoesOnAfterTheSkippedTime() {
    CronTrigger hourly = new CronTrigger(CronExpression.parse("0 * * * *"), ZoneId.of("UTC"));

    assertThat(hourly.skipMissed(T0, T0.plusSeconds(3 * 3600 + 1)))
        .contains(T0.plusSeconds(4 * 3600));
  }

  @Test
  void aOnceTriggerHasNothingAfterItsInstant() {
    OnceTrigger once = new OnceTrigger(T0);

    assertThat(once.first(T0.minusSeconds(5))).contains(T0);
    assertThat(once.next(T0)).isEmpty();
    assertThat(once.skipMissed(T0, T0.plusSeconds(5))).isEmpty();
  }
}
