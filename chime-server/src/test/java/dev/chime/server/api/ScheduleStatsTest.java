package dev.chime.server.api;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunStatus;
import dev.chime.schedule.Schedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A schedule's statistics over a window, from runs made up for the purpose. */
class ScheduleStatsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

  private static Run run(
      Schedule schedule,
      Instant at,
      int attempt,
      RunStatus status,
      long lateMs,
      long tookMs,
      String error) {
    return new Run(
        UUID.randomUUID(),
        "default",
        schedule.id(),
        Run.runKey(schedule.id(), at),
        attempt,
        RunOrigin.SCHEDULE,
        status,
        at,
        Optional.of(at.plusMillis(lateMs)),
        Optional.of(at.plusMillis(lateMs + tookMs)),
        OptionalLong.of(tookMs),
        OptionalInt.of(status == RunStatus.SUCCESS ? 200 : 500),
        Optional.ofNullable(error),
        Optional.ofNullable(error),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "0123456789abcdef0123456789abcdef",
        at);
  }

  @Test
  void aScheduleWhoseRunsOutlastItsIntervalShowsItsDrift() {
    // every 10 s since 09:00; the window is 09:00-09:01:40 (ten instants, settled); made before
    // the window, whose start is an instant (an instant at the moment of a change never is)
    Schedule schedule =
        aSchedule().every(10).createdAt(T0.minusSeconds(5)).nextFireAt(T0.plusSeconds(100)).build();
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Instant at = T0.plusSeconds(10L * i);
      if (i % 3 == 1) {
        runs.add(Run.skipped("default", schedule.id(), at, at, "overlap", "still running"));
      } else if (i == 9) {
        continue; // never recorded
      } else {
        runs.add(
            run(
                schedule,
                at,
                1,
                i == 6 ? RunStatus.FAILED : RunStatus.SUCCESS,
                i,
                100L * (i + 1),
                i == 6 ? "http_500" : null));
      }
    }
    runs.add(run(schedule, T0.plusSeconds(60), 2, RunStatus.SUCCESS, 30_000, 50, null));

    JsonNode stats = ScheduleStats.of(schedule, runs, T0, T0.plusSeconds(110));

    assertThat(stats.path("runs").asInt()).isEqualTo(10);
    assertThat(stats.path("fires").asInt()).isEqualTo(6);
    assertThat(stats.path("by_status").path("skipped").asInt()).isEqualTo(3);
    assertThat(stats.path("success_rate").asDouble())
        .isEqualTo(6 / 7.0, org.assertj.core.data.Offset.offset(0.0001));
    assertThat(stats.path("failure_reasons").get(0).path("error_code").asText())
        .isEqualTo("http_500");
    assertThat(stats.path("duration_ms").path("max").asLong()).isEqualTo(900);
    assertThat(stats.path("lateness_ms").path("max").asLong()).isEqualTo(8);
    JsonNode drift = stats.path("drift");
    assertThat(drift.path("expected").asInt()).isEqualTo(10);
    assertThat(drift.path("sent").asInt()).isEqualTo(6);
    assertThat(drift.path("not_sent").asInt()).isEqualTo(4);
    assertThat(drift.path("skipped_overlap").asInt()).isEqualTo(3);
    assertThat(drift.path("first_not_sent").get(0).asText())
        .isEqualTo(T0.plusSeconds(10).toString());
  }

  @Test
  void aCronCountsItsInstantsSinceItsLastChange() {
    Schedule schedule =
        aSchedule().cron("0 * * * * *", "UTC").createdAt(T0.minusSeconds(3600)).build();
    List<Run> runs = List.of(run(schedule, T0.plusSeconds(60), 1, RunStatus.SUCCESS, 2, 10, null));
    JsonNode drift = ScheduleStats.of(schedule, runs, T0, T0.plusSeconds(200)).path("drift");
    // 09:00, 09:01, 09:02, 09:03 are settled by 09:03:20
    assertThat(drift.path("expected").asInt()).isEqualTo(4);
    assertThat(drift.path("sent").asInt()).isEqualTo(1);
    JsonNode empty = ScheduleStats.of(schedule, List.of(), T0, T0.plusSeconds(200));
    assertThat(empty.path("success_rate").isNull()).isTrue();
    assertThat(empty.path("duration_ms").path("p95").isNull()).isTrue();
  }
}
