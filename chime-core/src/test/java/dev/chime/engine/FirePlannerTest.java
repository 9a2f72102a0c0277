package dev.chime.engine;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.engine.Held.ScheduledFire;
import dev.chime.schedule.Schedule;
import dev.chime.store.EngineStore.ClaimedSchedule;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The planner of a chunk of due work, on its own: what it starts, holds back, and when calls go.
 */
class FirePlannerTest {
  private static final Instant INSTANT = Instant.parse("2026-06-01T09:00:00Z");

  private final FirePlanner planner =
      new FirePlanner(
          new EngineSettings(
              "node-1",
              Duration.ofMillis(20),
              Duration.ofSeconds(2),
              Duration.ofSeconds(30),
              100,
              Duration.ofSeconds(5),
              URI.create("http://127.0.0.1:1"),
              20,
              1),
          tenant -> 1);

  @Test
  void aFireHeldBackByItsTenantsCapAndPlannedAgainBeforeItsInstantGoesAtItsInstant() {
    ScheduledFire fire = fire(aSchedule().every(60).nextFireAt(INSTANT).build());

    // two seconds ahead (a burst starts a lookahead ahead), the tenant's one run is elsewhere
    Instant ahead = INSTANT.minusSeconds(2);
    FirePlanner.Plan full = planner.plan(List.of(fire), new HashMap<>(), running(1), ahead, ahead);
    assertThat(full.calls()).isEmpty();
    assertThat(full.heldBack()).hasSize(1);
    Held back = full.heldBack().get(0);
    assertThat(back.fireAt()).isBefore(INSTANT);

    // planned again when it was held until, still before its instant, with room: the call goes
    // at the instant, not at the recheck
    FirePlanner.Plan room =
        planner.plan(List.of(back), new HashMap<>(), running(0), back.fireAt(), ahead);
    assertThat(room.calls().values())
        .singleElement()
        .extracting(FirePlanner.Call::sendAt)
        .isEqualTo(INSTANT);
  }

  private static Map<String, Integer> running(int elsewhere) {
    Map<String, Integer> running = new HashMap<>();
    running.put("default", elsewhere);
    return running;
  }

  private static ScheduledFire fire(Schedule schedule) {
    ClaimedSchedule claim =
        new ClaimedSchedule(
            schedule.id(),
            schedule.tenantId(),
            "{}",
            "{}",
            schedule.spec().payloadJson(),
            "{}",
            schedule.nextFireAt().orElseThrow(),
            Optional.empty(),
            1);
    return new ScheduledFire(
        claim, schedule.spec().trigger(), schedule.spec().target(), schedule.spec().policy());
  }
}
