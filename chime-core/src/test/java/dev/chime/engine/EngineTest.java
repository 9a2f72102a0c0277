package dev.chime.engine;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunStatus;
import dev.chime.schedule.Schedule;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleStore;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine against a real database and a real HTTP target, with a clock moved by hand. */
class EngineTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  private EngineHarness harness;
  private SettableClock clock;
  private ScheduleStore schedules;
  private RunStore runs;
  private TargetServer target;
  private Engine engine;

  @BeforeEach
  void start() {
    harness = new EngineHarness(T0, 1000);
    clock = harness.clock;
    schedules = harness.schedules;
    runs = harness.runs;
    target = harness.target;
    engine = harness.engine;
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void anIntervalScheduleFiresAtItsInstantWithChimeHeadersAndKeepsItsRhythm() {
    Schedule schedule = insert(aSchedule().every(60).target(target.url("/tick")).createdAt(T0));

    moveTo(T0.plusSeconds(59));
    assertThat(target.received()).isEmpty();

    moveTo(T0.plusSeconds(60).plusMillis(300));
    await().until(() -> finishedRuns(schedule).size() == 1);

    TargetServer.Received call = target.received("/tick").get(0);
    Run run = finishedRuns(schedule).get(0);
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.body()).isEqualTo("{\"hello\":\"world\"}");
    assertThat(call.header("Content-Type")).isEqualTo("application/json");
    assertThat(call.header("Idempotency-Key")).isEqualTo(schedule.id() + "@" + T0.plusSeconds(60));
    assertThat(call.header("Chime-Schedule-Id")).isEqualTo(schedule.id().toString());
    assertThat(call.header("Chime-Run-Id")).isEqualTo(run.id().toString());
    assertThat(call.header("Chime-Scheduled-At")).isEqualTo(T0.plusSeconds(60).toString());
    assertThat(call.header("traceparent")).startsWith("00-" + run.traceId() + "-");
    assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(run.httpStatus()).hasValue(200);
    assertThat(run.scheduledAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(run.startedAt()).contains(T0.plusSeconds(60).plusMillis(300));
    // next = previous scheduled instant + interval, not the moment the call ended
    assertThat(stored(schedule).nextFireAt()).contains(T0.plusSeconds(120));
    assertThat(stored(schedule).lastFireAt()).contains(T0.plusSeconds(60));
  }

  @Test
  void aOnceScheduleDisablesItselfAfterSuccess() {
    Schedule schedule =
        insert(aSchedule().once(T0.plusSeconds(30)).target(target.url("/once")).createdAt(T0));

    moveTo(T0.plusSeconds(30));
    await().until(() -> !stored(schedule).spec().enabled());

    assertThat(finishedRuns(schedule))
        .singleElement()
        .extracting(Run::status)
        .isEqualTo(RunStatus.SUCCESS);
    assertThat(stored(schedule).nextFireAt()).isEmpty();
  }

  @Test
  void aOnceScheduleThatFailsStaysEnabledWithNothingMoreToFire() {
    target.answerAlways(Answer.status(503));
    Schedule schedule =
        insert(aSchedule().once(T0.plusSeconds(30)).target(target.url("/once")).createdAt(T0));

    moveTo(T0.plusSeconds(30));
    await().until(() -> finishedRuns(schedule).size() == 1);

    Run run = finishedRuns(schedule).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.httpStatus()).hasValue(503);
    assertThat(run.errorCode()).contains("http_status");
    assertThat(run.responseExcerpt()).contains("{\"status\":503}");
    assertThat(stored(schedule).spec().enabled()).isTrue();
  }

  @Test
  void aScheduleWithoutAPayloadSendsNoBody() {
    Schedule schedule =
        insert(aSchedule().every(60).payload("null").target(target.url("/empty")).createdAt(T0));

    moveTo(T0.plusSeconds(60));
    await().until(() -> finishedRuns(schedule).size() == 1);

    TargetServer.Received call = target.received("/empty").get(0);
    assertThat(call.body()).isEmpty();
    assertThat(call.header("Content-Type")).isNull();
  }

  @Test
  void aSlowTargetEndsAsTimeout() {
    target.answerAlways(Answer.hanging());
    Schedule schedule =
        insert(
            aSchedule()
                .every(60)
                .timeout(Duration.ofMillis(200))
                .target(target.url("/slow"))
                .createdAt(T0));

    moveTo(T0.plusSeconds(60));
    await().until(() -> finishedRuns(schedule).size() == 1);

    Run run = finishedRuns(schedule).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.TIMEOUT);
    assertThat(run.errorCode()).contains("timeout");
    assertThat(run.errorMessage()).hasValueSatisfying(m -> assertThat(m).contains("200 ms"));
  }

  @Test
  void aNodeAtItsLimitOfCallsWaitsForRoomWithoutSpinningAndSendsTheRestOnceCallsEnd() {
    harness.engine.close();
    engine = harness.newEngine("node-1", Duration.ofSeconds(5), 1000);
    engine.limitPendingCalls(2);
    harness.engine = engine;
    engine.start();
    target.answerAlways(Answer.hanging());
    List<Schedule> due = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      due.add(
          insert(aSchedule().every(60).target(target.url("/full")).createdAt(T0.plusSeconds(i))));
    }

    // the limit is looked at before each chunk of starts: one instant at a time reaches it exactly
    moveTo(T0.plusSeconds(60));
    await().until(() -> target.received("/full").size() == 1);
    moveTo(T0.plusSeconds(61));
    await().until(() -> target.received("/full").size() == 2);
    moveTo(T0.plusSeconds(62));

    // the third is due and held, with no room for it: the loop waits (a poll is 20 ms, the
    // recheck 10 ms) instead of going round on the core the calls need
    long turns = engine.loopTurns();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> engine.loopTurns() - turns < 300 && target.received("/full").size() == 2);

    target.releaseHanging();
    await().until(() -> target.received("/full").size() == 3);
    await().until(() -> due.stream().allMatch(s -> finishedRuns(s).size() == 1));
  }

  @Test
  void anUnreachableTargetIsAFailedRunWithAClearCode() {
    Schedule schedule =
        insert(aSchedule().every(60).target(URI.create("http://127.0.0.1:1/none")).createdAt(T0));

    moveTo(T0.plusSeconds(60));
    await().until(() -> finishedRuns(schedule).size() == 1);

    Run run = finishedRuns(schedule).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.errorCode()).contains("connection_refused");
  }

  @Test
  void aQueuedRunFiresAtOnceWithoutMovingTheRhythm() {
    Schedule schedule = insert(aSchedule().every(3600).target(target.url("/now")).createdAt(T0));
    Instant now = clock.advance(Duration.ofSeconds(5));
    Run queued = queuedRun(schedule, now);
    runs.insertQueued(queued);
    engine.wake();

    await().until(() -> runs.get("default", queued.id()).orElseThrow().status().isFinal());

    Run run = runs.get("default", queued.id()).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(run.origin()).isEqualTo(RunOrigin.MANUAL);
    assertThat(target.received("/now").get(0).header("Idempotency-Key")).isEqualTo(queued.runKey());
    assertThat(stored(schedule).nextFireAt()).contains(T0.plusSeconds(3600));
  }

  @Test
  void aDisabledScheduleDoesNotFire() {
    Schedule schedule =
        insert(aSchedule().every(60).disabled().target(target.url("/off")).createdAt(T0));

    moveTo(T0.plusSeconds(61));
    moveTo(T0.plusSeconds(125));

    assertThat(target.received("/off")).isEmpty();
    assertThat(finishedRuns(schedule)).isEmpty();
  }

  @Test
  void stoppingLetsAnInFlightCallFinishWithinTheGracePeriod() {
    target.answerAlways(new Answer(200, "{}", Duration.ofMillis(300), false));
    Schedule schedule = insert(aSchedule().every(60).target(target.url("/grace")).createdAt(T0));
    moveTo(T0.plusSeconds(60));
    await().until(() -> target.received("/grace").size() == 1);

    engine.close();

    Run run = runs.listBySchedule("default", schedule.id(), Optional.empty(), 10).items().get(0);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
  }

  private Schedule insert(dev.chime.testing.ScheduleBuilder builder) {
    return harness.insert(builder);
  }

  private Schedule stored(Schedule schedule) {
    return harness.stored(schedule);
  }

  private List<Run> finishedRuns(Schedule schedule) {
    return harness.finishedRuns(schedule);
  }

  private void moveTo(Instant instant) {
    harness.moveTo(instant);
  }

  private static Run queuedRun(Schedule schedule, Instant now) {
    return Run.queued(
        "default",
        schedule.id(),
        Run.runKey(schedule.id(), now),
        1,
        RunOrigin.MANUAL,
        now,
        now,
        now);
  }
}
