package dev.chime.engine;

import static org.awaitility.Awaitility.await;

import dev.chime.dispatch.HttpDispatcher;
import dev.chime.run.Run;
import dev.chime.schedule.Schedule;
import dev.chime.store.Database;
import dev.chime.store.EngineStore;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleStore;
import dev.chime.testing.ScheduleBuilder;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TestDatabases;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An engine on a real database calling a real HTTP target, with a clock moved by hand: the engine
 * tests' common ground.
 */
final class EngineHarness implements AutoCloseable {
  final SettableClock clock;
  final Database db;
  final ScheduleStore schedules;
  final RunStore runs;
  final EngineStore engineStore;
  final TargetServer target = new TargetServer();
  final HttpDispatcher dispatcher;
  Engine engine;

  private final int tenantMaxRunning;

  EngineHarness(Instant start, double catchupPerSecond) {
    this(start, catchupPerSecond, 1000);
  }

  EngineHarness(Instant start, double catchupPerSecond, int tenantMaxRunning) {
    this.tenantMaxRunning = tenantMaxRunning;
    clock = new SettableClock(start);
    db = Database.open(TestDatabases.h2());
    schedules = new ScheduleStore(db);
    runs = new RunStore(db);
    engineStore = new EngineStore(db);
    dispatcher = new HttpDispatcher(Duration.ofSeconds(2), 1024, clock);
    engine = newEngine("node-1", Duration.ofSeconds(5), catchupPerSecond);
    engine.start();
  }

  Engine newEngine(String node, Duration grace, double catchupPerSecond) {
    return new Engine(
        engineStore,
        dispatcher,
        clock,
        new EngineSettings(
            node,
            Duration.ofMillis(20),
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            100,
            grace,
            URI.create("http://127.0.0.1:1"),
            catchupPerSecond,
            tenantMaxRunning));
  }

  Schedule insert(ScheduleBuilder builder) {
    Schedule schedule = builder.build();
    schedules.insert(schedule);
    engine.wake();
    return schedule;
  }

  Schedule stored(Schedule schedule) {
    return schedules.get("default", schedule.id()).orElseThrow();
  }

  /** The schedule's runs, oldest scheduled instant and attempt first. */
  List<Run> runs(Schedule schedule) {
    return runs.listBySchedule("default", schedule.id(), Optional.empty(), 500).items().stream()
        .sorted(Comparator.comparing(Run::scheduledAt).thenComparing(Run::attempt))
        .toList();
  }

  List<Run> finishedRuns(Schedule schedule) {
    return runs(schedule).stream().filter(r -> r.status().isFinal()).toList();
  }

  /** Moves the clock and lets the engine see it: two full loop turns after the wake. */
  void moveTo(Instant instant) {
    clock.set(instant);
    settle();
  }

  /** Lets the engine go round twice at the current time. */
  void settle() {
    long before = engine.loopTurns();
    engine.wake();
    await().until(() -> engine.loopTurns() >= before + 2);
  }

  @Override
  public void close() {
    target.releaseHanging();
    engine.close();
    dispatcher.close();
    target.close();
    db.close();
  }
}
