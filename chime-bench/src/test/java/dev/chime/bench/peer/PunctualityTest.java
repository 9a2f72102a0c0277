package dev.chime.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The steady load's instants and what a window of fires says about them, on a fixed clock. */
class PunctualityTest {
  private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void jobsSpreadEvenlyOverOneInterval() {
    SteadyLoad load = SteadyLoad.of(1_000, Duration.ofSeconds(2), T);

    assertThat(load.jobs()).isEqualTo(2_000);
    assertThat(load.rate()).isEqualTo(1_000.0);
    assertThat(load.firstOf(0)).isEqualTo(T);
    assertThat(load.firstOf(1)).isEqualTo(T.plusMillis(1));
    assertThat(load.firstOf(1_999)).isEqualTo(T.plusMillis(1_999));
    assertThat(load.expectedIn(T, T.plusSeconds(3))).isEqualTo(3_000);
    assertThat(load.expectedIn(T.minusSeconds(5), T)).isZero();
    assertThat(load.slotOf(1, T.plusMillis(4_001))).isEqualTo(2);
    assertThat(load.slotOf(1, T.plusMillis(4_002))).isEqualTo(-1);
  }

  @Test
  void countsTheWindowsFiresTheirLatenessAndWhatNeverCame() {
    SteadyLoad load = new SteadyLoad(2, T, Duration.ofSeconds(1)); // jobs at :00.0 and :00.5
    FireLog log = new FireLog(Clock.fixed(T.plusMillis(1_503), ZoneOffset.UTC));
    log.fired(0, T); // before the window
    log.fired(1, T.plusMillis(500)); // 1,003 ms late, but run during the window
    log.fired(0, T.plusSeconds(1)); // 503 ms late
    log.fired(0, T.plusSeconds(1)); // again
    // job 1's fire for 1.5 s never comes

    Punctuality p = Punctuality.of(log.snapshot(), load, T.plusSeconds(1), T.plusSeconds(2));

    assertThat(p.expected()).isEqualTo(2);
    assertThat(p.fired()).isEqualTo(1);
    assertThat(p.missing()).isEqualTo(1);
    assertThat(p.duplicates()).isEqualTo(1);
    assertThat(p.lateness().max()).isEqualTo(503_000);
    assertThat(p.firedDuringWindow()).isEqualTo(4);
    assertThat(p.ranDuringWindow().max()).isEqualTo(1_503_000);
    assertThat(p.keptUp()).isFalse();
    assertThat(p.early()).isZero();
  }
}
