package dev.chime.engine;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunStatus;
import dev.chime.schedule.OverlapPolicy;
import dev.chime.schedule.RetryPolicy;
import dev.chime.schedule.RunPolicy;
import dev.chime.schedule.Schedule;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import dev.chime.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine when things pile up: bursts, its own lag against downtime, a fire and a retry of one
 * schedule at once, results still waiting to be written, failures in the loop itself.
 */
class EngineUnderStressTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  private ManualEngine m;

  @AfterEach
  void stop() {
    if (m != null) {
      m.close();
    }
  }

  private static EngineSettings settings(double catchupPerSecond, int batch, Duration linger) {
    return settings(catchupPerSecond, batch, linger, ManualEngine.settings("node-1").poll());
  }

  private static EngineSettings settings(
      double catchupPerSecond, int batch, Duration linger, Duration poll) {
    EngineSettings base = ManualEngine.settings("node-1");
    return new EngineSettings(
        base.nodeId(),
        poll,
        base.lookahead(),
        base.lease(),
        batch,
        base.shutdownGrace(),
        base.callbackBase(),
        catchupPerSecond,
        base.tenantMaxRunning(),
        base.prestart(),
        linger,
        base.callsPerHost());
  }

  @Test
  void aBurstDueAtOneInstantIsSentInFullOncePerSchedule() {
    m = new ManualEngine(T0, TestDatabases.h2(), settings(20, 500, Duration.ofMillis(20)));
    int count = 1_000;
    for (int i = 0; i < count; i++) {
      m.insert(aSchedule().once(T0.plusSeconds(1)).target(m.target.url("/burst")).createdAt(T0));
    }

    m.at(T0);
    m.at(T0.plusMillis(600));
    assertThat(m.target.received()).isEmpty();
    m.at(T0.plusSeconds(1));
    await().until(() -> m.target.received("/burst").size() == count);
    m.quiet();

    Set<String> keys = new HashSet<>();
    m.target.received("/burst").forEach(call -> keys.add(call.header("Idempotency-Key")));
    assertThat(keys).hasSize(count);
    Integer succeeded =
        m.db.inTransaction(
            c -> {
              try (var q =
                      c.prepareStatement("SELECT COUNT(*) FROM runs WHERE status = 'success'");
                  var rows = q.executeQuery()) {
                rows.next();
                return rows.getInt(1);
              }
            });
    assertThat(succeeded).isEqualTo(count);
  }

  @Test
  void aBurstBeyondTheLookaheadIsClaimedAndMarkedStartedAheadOfItsInstant() {
    // a poll of 1 ms: every claim of the tick looks for the burst again, also once part of it is
    // started and no longer counts as due
    m =
        new ManualEngine(
            T0, TestDatabases.h2(), settings(20, 500, Duration.ofMillis(20), Duration.ofMillis(1)));
    int count = 1_500;
    Instant burst = T0.plusSeconds(5); // past the lookahead of 2 s, within three of them
    for (int i = 0; i < count; i++) {
      m.insert(aSchedule().once(burst).target(m.target.url("/burst")).createdAt(T0));
    }
    m.insert(aSchedule().once(T0.plusSeconds(4)).target(m.target.url("/before")).createdAt(T0));

    m.at(T0);
    // all of it claimed 5 s ahead, and all but the first claim's batch marked started: what is
    // left to do at the instant is one start pass of a batch, and the calls
    assertThat(m.engine.heldCount() + m.engine.armedCount()).isEqualTo(count + 1);
    assertThat(m.engine.armedCount()).isGreaterThanOrEqualTo(count - 500);
    assertThat(m.target.received()).isEmpty();

    m.at(T0.plusSeconds(4));
    await().until(() -> m.target.received("/before").size() == 1);
    m.at(burst);
    await().until(() -> m.target.received("/burst").size() == count);
    m.quiet();
    Set<String> keys = new HashSet<>();
    m.target.received("/burst").forEach(call -> keys.add(call.header("Idempotency-Key")));
    assertThat(keys).hasSize(count);
  }

  @Test
  void fewFiresBeyondTheLookaheadWaitForIt() {
    m = new ManualEngine(T0, TestDatabases.h2(), settings(20, 500, Duration.ofMillis(20)));
    for (int i = 0; i < 900; i++) {
      m.insert(aSchedule().once(T0.plusSeconds(5)).target(m.target.url("/few")).createdAt(T0));
    }

    m.at(T0);
    assertThat(m.engine.heldCount() + m.engine.armedCount()).isZero();
    m.at(T0.plusSeconds(3).plusMillis(100)); // the instant is within the lookahead now
    assertThat(m.engine.heldCount() + m.engine.armedCount()).isEqualTo(900);
  }

  @Test
  void aNodesOwnLagIsNeverThrottledButInstantsMissedWhileItWasDownAre() {
    // one late fire a second at most when catching up after downtime
    m = new ManualEngine(T0, TestDatabases.h2(), settings(1, 500, Duration.ZERO));
    m.at(T0.plusSeconds(4));
    m.at(T0.plusSeconds(8));
    List<Schedule> schedules = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      schedules.add(
          m.insert(
              aSchedule()
                  .every(10)
                  .nextFireAt(T0.plusSeconds(2)) // already 10 s late when the engine looks
                  .target(m.target.url("/lag"))
                  .createdAt(T0)));
    }
    m.at(T0.plusSeconds(12)); // the engine ran all along: its own lag, sent at full rate
    await().until(() -> m.target.received("/lag").size() == 30);
    m.quiet();

    m.at(T0.plusSeconds(72)); // a minute with no turn: the node was down or paused
    m.quiet();
    // instants T0+12 .. T0+62 of 30 schedules fell due meanwhile: they trickle, one a second
    assertThat(m.target.received("/lag").size()).isEqualTo(31);
  }

  @Test
  void aFireAndARetryOfOneScheduleDueTogetherCountAgainstEachOther() {
    m = new ManualEngine(T0, TestDatabases.h2(), settings(1000, 500, Duration.ZERO));
    m.target.answerAlways(Answer.hanging());
    Schedule schedule =
        m.insert(
            aSchedule()
                .every(60)
                .nextFireAt(T0.plusSeconds(1))
                .policy(policy(1, OverlapPolicy.SKIP, OptionalInt.empty(), 3))
                .target(m.target.url("/pair"))
                .createdAt(T0));
    m.runs.insertQueued(
        Run.queued(
            "default",
            schedule.id(),
            Run.runKey(schedule.id(), T0.minusSeconds(59)),
            2,
            RunOrigin.SCHEDULE,
            T0.minusSeconds(59),
            T0.plusSeconds(1),
            T0));

    m.at(T0.plusSeconds(1));
    await().until(() -> m.target.received("/pair").size() >= 1);
    m.at(T0.plusMillis(1100));

    assertThat(m.target.received("/pair")).hasSize(1);
  }

  @Test
  void aResultWaitingToBeWrittenCountsAsEnded() {
    // results wait up to 3 s for company: the first call has ended long before it is written
    m = new ManualEngine(T0, TestDatabases.h2(), settings(1000, 500, Duration.ofSeconds(3)));
    Schedule schedule =
        m.insert(
            aSchedule()
                .every(1)
                .nextFireAt(T0.plusSeconds(1))
                .target(m.target.url("/tick"))
                .createdAt(T0));
    m.at(T0.plusSeconds(1));
    await().until(() -> m.target.received("/tick").size() == 1);
    await().until(() -> m.runs(schedule).get(0).status() == RunStatus.RUNNING);

    m.at(T0.plusSeconds(2));
    await().until(() -> m.target.received("/tick").size() == 2);
    m.quiet();
    assertThat(m.runs(schedule)).extracting(Run::status).containsOnly(RunStatus.SUCCESS);
  }

  @Test
  void autoDisableCancelsTheRunsTheScheduleQueuedAsAManualDisableDoes() {
    m = new ManualEngine(T0, TestDatabases.h2(), settings(1000, 500, Duration.ZERO));
    m.target.answerAlways(new Answer(500, "{}", Duration.ofMillis(800), false));
    Schedule schedule =
        m.insert(
            aSchedule()
                .every(1)
                .nextFireAt(T0.plusSeconds(1))
                .policy(policy(1, OverlapPolicy.QUEUE_ONE, OptionalInt.of(1), 1))
                .target(m.target.url("/fail"))
                .createdAt(T0));
    m.at(T0.plusSeconds(1));
    m.at(T0.plusSeconds(2)); // the first call is still in flight: this instant queues

    await().until(() -> !m.stored(schedule).spec().enabled());
    m.quiet();
    List<Run> runs = m.runs(schedule);
    assertThat(runs).extracting(Run::status).containsExactly(RunStatus.FAILED, RunStatus.CANCELLED);
    assertThat(runs.get(1).errorMessage().orElseThrow()).contains("disabled");
  }

  @Test
  void countingAYearOfMissedInstantsIsBoundedAndSaysSo() {
    m = new ManualEngine(T0, TestDatabases.h2(), settings(1000, 500, Duration.ZERO));
    Schedule schedule =
        m.insert(
            aSchedule()
                .cron("* * * * * *", "UTC")
                .nextFireAt(T0.minus(Duration.ofDays(365)))
                .target(m.target.url("/year"))
                .createdAt(T0.minus(Duration.ofDays(366))));
    m.at(T0.plusMillis(1));
    m.quiet();

    Run missed = m.runs(schedule).get(0);
    assertThat(missed.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(missed.errorMessage().orElseThrow()).startsWith("at least ");
  }

  @Test
  void theLoopSurvivesAnErrorAndGoesOn() throws Exception {
    try (TargetServer target = new TargetServer();
        var db = dev.chime.store.Database.open(TestDatabases.h2())) {
      FailingOnceClock clock = new FailingOnceClock(T0);
      var dispatcher = new dev.chime.dispatch.HttpDispatcher(Duration.ofSeconds(2), 1024, clock);
      var store = new dev.chime.store.EngineStore(db);
      var schedules = new dev.chime.store.ScheduleStore(db);
      Engine engine = new Engine(store, dispatcher, clock, ManualEngine.settings("node-1"));
      try {
        engine.start();
        Schedule schedule =
            aSchedule().every(60).nextFireAt(T0.plusSeconds(1)).target(target.url("/on")).build();
        schedules.insert(schedule);
        clock.failNext();
        await().until(() -> clock.failed);
        clock.set(T0.plusSeconds(1));
        engine.wake();
        await().until(() -> target.received("/on").size() == 1);
        assertThat(engine.isAlive()).isTrue();
      } finally {
        engine.close();
        dispatcher.close();
      }
    }
  }

  private static RunPolicy policy(
      int maxConcurrency, OverlapPolicy overlap, OptionalInt autoDisable, int attempts) {
    return new RunPolicy(
        new RetryPolicy.Backoff(attempts, List.of(Duration.ofSeconds(30))),
        Duration.ofSeconds(900),
        maxConcurrency,
        overlap,
        autoDisable);
  }

  /** A clock that throws an Error once when told to, as a bug deep in the loop would. */
  private static final class FailingOnceClock extends java.time.Clock {
    private volatile Instant now;
    private volatile boolean armed;
    volatile boolean failed;

    FailingOnceClock(Instant start) {
      this.now = start;
    }

    void set(Instant instant) {
      now = instant;
    }

    void failNext() {
      armed = true;
    }

    @Override
    public Instant instant() {
      if (armed && Thread.currentThread().getName().startsWith("chime-engine")) {
        armed = false;
        failed = true;
        throw new AssertionError("a bug in the loop");
      }
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
