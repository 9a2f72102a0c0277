package dev.chime.engine;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.run.Run;
import dev.chime.run.RunStatus;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.store.ScheduleStore;
import dev.chime.testing.TestDatabases;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claim, hold, renew, start, complete, release, step by step on a hand-driven engine: an edit
 * inside the lookahead, a node started again under its own id, a stop with fires marked started.
 */
class LeaseLifecycleTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  private ManualEngine m;

  @BeforeEach
  void start() {
    m = new ManualEngine(T0, TestDatabases.h2(), ManualEngine.settings("node-1"));
  }

  @AfterEach
  void stop() {
    m.close();
  }

  @Test
  void anEditInsideTheLookaheadAppliesToTheNextFireAndKeepsItOnTime() {
    Schedule schedule =
        m.insert(
            aSchedule()
                .every(60)
                .payload("{\"v\":1}")
                .nextFireAt(T0.plusMillis(1500))
                .target(m.target.url("/edit"))
                .createdAt(T0));

    m.at(T0); // claimed 1.5 s ahead: held in memory
    assertThat(m.engine.heldCount()).isEqualTo(1);
    m.schedules.update(
        "default",
        schedule.id(),
        T0.plusMillis(200),
        current ->
            new ScheduleStore.Change(
                withPayload(current.spec(), "{\"v\":2}"), current.nextFireAt(), current.health()));
    m.at(T0.plusMillis(300)); // claimed again: the newer copy replaces the held one
    m.at(T0.plusMillis(1000)); // marked started, waiting for its instant
    assertThat(m.target.received()).isEmpty();
    m.at(T0.plusMillis(1500));
    m.quiet();

    assertThat(m.target.received("/edit"))
        .singleElement()
        .satisfies(call -> assertThat(call.body()).isEqualTo("{\"v\":2}"));
    Run run = m.runs(schedule).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(run.startedAt()).contains(T0.plusMillis(1500));
  }

  @Test
  void aNodeStartedAgainUnderItsOwnIdTakesItsLeasesBackAtOnce() {
    Schedule schedule =
        m.insert(aSchedule().every(60).nextFireAt(T0.plusSeconds(1)).target(m.target.url("/own")));
    m.at(T0); // node-1 holds the lease until T0 + 32 s ...

    // ... and dies without a word (no close): a new process with the same id starts
    m.clock.set(T0.plusMillis(100));
    m.restart(ManualEngine.settings("node-1"));
    m.at(T0.plusSeconds(1));
    m.quiet();

    assertThat(m.target.received("/own")).hasSize(1);
    assertThat(m.runs(schedule)).extracting(Run::status).containsExactly(RunStatus.SUCCESS);
  }

  @Test
  void anotherNodeWaitsForTheLeaseToRunOut() {
    Schedule schedule =
        m.insert(
            aSchedule().every(60).nextFireAt(T0.plusSeconds(1)).target(m.target.url("/lease")));
    m.at(T0);

    m.restart(ManualEngine.settings("node-2"));
    m.at(T0.plusSeconds(1));
    m.quiet();
    assertThat(m.target.received("/lease")).isEmpty();

    // the lease (lookahead 2 s + lease 30 s from T0) runs out; the fire goes out late, once
    m.at(T0.plusSeconds(33));
    m.quiet();
    assertThat(m.target.received("/lease")).hasSize(1);
    assertThat(m.runs(schedule)).extracting(Run::scheduledAt).containsExactly(T0.plusSeconds(1));
  }

  @Test
  void aStopGivesBackFiresMarkedStartedButNotYetDue() {
    Schedule schedule =
        m.insert(aSchedule().every(60).nextFireAt(T0.plusSeconds(1)).target(m.target.url("/back")));
    m.at(T0.plusMillis(800)); // within the prestart: marked started in the database
    assertThat(m.engine.armedCount()).isEqualTo(1);
    assertThat(m.runs(schedule)).extracting(Run::status).containsExactly(RunStatus.RUNNING);

    m.engine.close();
    assertThat(m.runs(schedule)).isEmpty();
    assertThat(m.stored(schedule).nextFireAt()).contains(T0.plusSeconds(1));

    m.restart(ManualEngine.settings("node-2"));
    m.at(T0.plusSeconds(1));
    m.quiet();
    assertThat(m.target.received("/back")).hasSize(1);
  }

  @Test
  void aRunLeftStartedByAKilledNodeIsClosedWhenItStartsAgainAndRetried() {
    Schedule schedule =
        m.insert(aSchedule().every(60).nextFireAt(T0.plusSeconds(1)).target(m.target.url("/kill")));
    m.at(T0.plusMillis(800)); // marked started; the process dies before the instant

    m.restart(ManualEngine.settings("node-1"));

    List<Run> runs = m.runs(schedule);
    assertThat(runs).extracting(Run::attempt).containsExactly(1, 2);
    assertThat(runs.get(0).status()).isEqualTo(RunStatus.FAILED);
    assertThat(runs.get(0).errorCode()).contains("node_restarted");
    assertThat(runs.get(1).status()).isEqualTo(RunStatus.QUEUED);
    // the next attempt is due at once, not after the policy's wait: attempt 1 never went out
    m.at(T0.plusSeconds(1));
    m.quiet();
    assertThat(m.target.received("/kill"))
        .extracting(r -> r.header("Chime-Attempt"))
        .containsExactly("2");
  }

  private static ScheduleSpec withPayload(ScheduleSpec spec, String payload) {
    return new ScheduleSpec(
        spec.name(),
        spec.description(),
        spec.enabled(),
        spec.trigger(),
        spec.target(),
        payload,
        spec.policy());
  }
}
