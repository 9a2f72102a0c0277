package dev.chime.store;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.engine.Janitor;
import dev.chime.engine.Janitor.RetentionPass;
import dev.chime.engine.RetentionSettings;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunStatus;
import dev.chime.schedule.Schedule;
import dev.chime.testing.SettableClock;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What retention must do the same way on every database. Runs once per dialect; each test starts
 * with no runs at all, since deleting by age reaches every schedule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RetentionContractTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00.123456Z");
  private static final Duration DAY = Duration.ofDays(1);

  private final AtomicInteger attempts = new AtomicInteger();
  private Database db;
  private ScheduleStore schedules;
  private RunStore runs;
  private RetentionStore retention;

  abstract DatabaseSettings settings();

  @BeforeAll
  void open() {
    db = Database.open(settings());
    schedules = new ScheduleStore(db);
    runs = new RunStore(db);
    retention = new RetentionStore(db);
  }

  @AfterAll
  void close() {
    db.close();
  }

  @BeforeEach
  void noRuns() {
    db.inTransaction(
        connection -> {
          try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate("DELETE FROM runs");
          }
        });
  }

  @Test
  void oldFinishedRunsAreDeletedAndYoungOrUnfinishedOnesKept() {
    UUID schedule = newSchedule();
    Instant cutoff = NOW.minus(Duration.ofDays(30));
    Run oldSuccess = finished(schedule, RunStatus.SUCCESS, cutoff.minus(DAY));
    Run oldFailure = finished(schedule, RunStatus.FAILED, cutoff.minusMillis(1));
    Run oldTimeout = finished(schedule, RunStatus.TIMEOUT, cutoff.minus(DAY.multipliedBy(90)));
    Run atCutoff = finished(schedule, RunStatus.SUCCESS, cutoff);
    Run young = finished(schedule, RunStatus.SUCCESS, NOW.minus(DAY));
    Run oldQueued = unfinished(schedule, RunStatus.QUEUED, cutoff.minus(DAY.multipliedBy(60)));
    Run oldRunning = unfinished(schedule, RunStatus.RUNNING, cutoff.minus(DAY.multipliedBy(60)));
    store(oldSuccess, oldFailure, oldTimeout, atCutoff, young, oldQueued, oldRunning);

    int deleted = retention.deleteOlderThan(cutoff, 100);

    assertThat(deleted).isEqualTo(3);
    assertThat(listed(schedule))
        .containsExactlyInAnyOrder(atCutoff.id(), young.id(), oldQueued.id(), oldRunning.id());
  }

  @Test
  void deletingByAgeTakesAtMostABatchAtATime() {
    UUID schedule = newSchedule();
    for (int i = 0; i < 7; i++) {
      store(finished(schedule, RunStatus.SUCCESS, NOW.minus(DAY.multipliedBy(40 + i))));
    }
    Instant cutoff = NOW.minus(Duration.ofDays(30));

    List<Integer> batches = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      batches.add(retention.deleteOlderThan(cutoff, 3));
    }

    assertThat(batches).containsExactly(3, 3, 1, 0);
    assertThat(listed(schedule)).isEmpty();
  }

  @Test
  void trimmingKeepsEachScheduleNewestFinishedRunsAndAllUnfinishedOnes() {
    UUID crowded = newSchedule();
    UUID other = newSchedule();
    for (int i = 0; i < 10; i++) {
      store(finished(crowded, RunStatus.SUCCESS, NOW.minus(Duration.ofMinutes(i))));
      store(finished(other, RunStatus.FAILED, NOW.minus(Duration.ofMinutes(i))));
    }
    // The 4th and 5th newest share their instant: the API's order (then id, newest first) decides.
    store(finished(crowded, RunStatus.SUCCESS, NOW.minus(Duration.ofMinutes(3))));
    Run running = unfinished(crowded, RunStatus.RUNNING, NOW.plusSeconds(60));
    Run queued = unfinished(crowded, RunStatus.QUEUED, NOW.minus(DAY));
    store(running, queued);
    List<UUID> finishedNewestFirst = new ArrayList<>(listed(crowded));
    finishedNewestFirst.removeAll(List.of(running.id(), queued.id()));
    List<UUID> otherBefore = listed(other);

    int deleted = retention.trimPerSchedule(4, 100);

    assertThat(deleted).isEqualTo(7 + 6);
    List<UUID> expected = new ArrayList<>();
    expected.add(running.id());
    expected.addAll(finishedNewestFirst.subList(0, 4));
    expected.add(queued.id());
    assertThat(listed(crowded)).containsExactlyElementsOf(expected);
    assertThat(listed(other)).containsExactlyElementsOf(otherBefore.subList(0, 4));
    assertThat(retention.trimPerSchedule(4, 100)).isZero();
  }

  @Test
  void trimmingLeavesSchedulesWithinTheLimitAlone() {
    UUID small = newSchedule();
    UUID withUnfinished = newSchedule();
    for (int i = 0; i < 3; i++) {
      store(finished(small, RunStatus.SUCCESS, NOW.minus(Duration.ofMinutes(i))));
      store(finished(withUnfinished, RunStatus.SUCCESS, NOW.minus(Duration.ofMinutes(i))));
      store(unfinished(withUnfinished, RunStatus.QUEUED, NOW.plus(Duration.ofMinutes(i))));
    }

    assertThat(retention.trimPerSchedule(3, 100)).isZero();
    assertThat(listed(small)).hasSize(3);
    assertThat(listed(withUnfinished)).hasSize(6);
  }

  @Test
  void trimmingTakesAtMostABatchAtATimeAcrossSchedules() {
    List<UUID> crowded = List.of(newSchedule(), newSchedule(), newSchedule());
    for (UUID schedule : crowded) {
      for (int i = 0; i < 5; i++) {
        store(finished(schedule, RunStatus.SUCCESS, NOW.minus(Duration.ofMinutes(i))));
      }
    }

    List<Integer> batches = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      batches.add(retention.trimPerSchedule(2, 4));
    }

    assertThat(batches).containsExactly(4, 4, 1, 0);
    for (UUID schedule : crowded) {
      assertThat(listed(schedule)).hasSize(2);
    }
  }

  @Test
  void aJanitorPassDeletesByAgeThenByCountAtTheClocksTime() {
    SettableClock clock = new SettableClock(NOW);
    RetentionSettings settings =
        new RetentionSettings(Duration.ofDays(30), 3, 2, Duration.ofMinutes(1));
    UUID schedule = newSchedule();
    for (int i = 0; i < 3; i++) {
      store(finished(schedule, RunStatus.SUCCESS, NOW.minus(DAY.multipliedBy(31 + i))));
    }
    for (int i = 0; i < 4; i++) {
      store(finished(schedule, RunStatus.SUCCESS, NOW.minus(Duration.ofHours(1 + i))));
    }
    Run running = unfinished(schedule, RunStatus.RUNNING, NOW.minus(DAY.multipliedBy(60)));
    store(running);

    try (Janitor janitor = new Janitor(retention, clock, settings, "node-a")) {
      assertThat(janitor.runOnce()).isEqualTo(new RetentionPass(3, 1));
      assertThat(listed(schedule)).hasSize(4);

      clock.advance(Duration.ofDays(30));
      assertThat(janitor.runOnce()).isEqualTo(new RetentionPass(3, 0));
      assertThat(listed(schedule)).containsExactly(running.id());
    }
  }

  @Test
  void aStartedJanitorDeletesOnItsOwnThreadUntilClosed() {
    SettableClock clock = new SettableClock(NOW);
    RetentionSettings settings =
        new RetentionSettings(Duration.ofDays(30), 1000, 500, Duration.ofMillis(20));
    UUID schedule = newSchedule();
    store(finished(schedule, RunStatus.SUCCESS, NOW.minus(DAY)));
    Janitor janitor = new Janitor(retention, clock, settings, "node-b");
    janitor.start();
    try {
      assertThat(janitorThreadRunning("node-b")).isTrue();
      clock.advance(Duration.ofDays(30));

      await().atMost(Duration.ofSeconds(10)).until(() -> listed(schedule).isEmpty());
    } finally {
      janitor.close();
    }
    assertThat(janitorThreadRunning("node-b")).isFalse();
    janitor.close();
  }

  private static boolean janitorThreadRunning(String node) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("chime-janitor-" + node) && t.isAlive());
  }

  private UUID newSchedule() {
    Schedule schedule = aSchedule().createdAt(NOW.minus(DAY.multipliedBy(365))).build();
    schedules.insert(schedule);
    return schedule.id();
  }

  private List<UUID> listed(UUID scheduleId) {
    return runs.listBySchedule("default", scheduleId, Optional.empty(), 1000).items().stream()
        .map(Run::id)
        .toList();
  }

  private void store(Run... batch) {
    db.inTransaction(
        connection -> {
          RunStore.insert(
              connection,
              db.dialect(),
              java.util.Arrays.stream(batch).map(RunStore.NewRun::of).toList());
          return null;
        });
  }

  /** A run that ended one second after its scheduled instant. */
  private Run finished(UUID scheduleId, RunStatus status, Instant finishedAt) {
    Instant scheduledAt = finishedAt.minusSeconds(1);
    return run(scheduleId, status, scheduledAt, Optional.of(scheduledAt), Optional.of(finishedAt));
  }

  private Run unfinished(UUID scheduleId, RunStatus status, Instant scheduledAt) {
    Optional<Instant> started =
        status == RunStatus.RUNNING ? Optional.of(scheduledAt) : Optional.empty();
    return run(scheduleId, status, scheduledAt, started, Optional.empty());
  }

  private Run run(
      UUID scheduleId,
      RunStatus status,
      Instant scheduledAt,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt) {
    return new Run(
        UUID.randomUUID(),
        "default",
        scheduleId,
        Run.runKey(scheduleId, scheduledAt),
        // attempts differ so that two runs may share an instant
        attempts.incrementAndGet(),
        RunOrigin.SCHEDULE,
        status,
        scheduledAt,
        startedAt,
        finishedAt,
        OptionalLong.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "0af7651916cd43dd8448eb211c80319c",
        scheduledAt);
  }
}
