package dev.chime.engine;

import static org.awaitility.Awaitility.await;

import dev.chime.dispatch.HttpDispatcher;
import dev.chime.run.Run;
import dev.chime.schedule.Schedule;
import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.EngineStore;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleStore;
import dev.chime.testing.ScheduleBuilder;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A hand-driven engine on a real database calling a real HTTP target: {@link #at} sets the clock
 * and runs one engine turn, {@link #quiet} waits for calls and result writes to finish. Engine
 * tests read as tables of steps.
 */
final class ManualEngine implements AutoCloseable {
  final SettableClock clock;
  final Database db;
  final ScheduleStore schedules;
  final RunStore runs;
  final EngineStore engineStore;
  final TargetServer target;
  final HttpDispatcher dispatcher;
  Engine engine;

  /** The settings tests start from: lookahead 2 s, prestart 500 ms, lease 30 s, batch 100. */
  static EngineSettings settings(String node) {
    return new EngineSettings(
        node,
        Duration.ofMillis(20),
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        100,
        Duration.ofSeconds(5),
        URI.create("http://127.0.0.1:1"),
        1000,
        1000,
        Duration.ofMillis(500),
        Duration.ZERO,
        64);
  }

  ManualEngine(Instant start, DatabaseSettings database, EngineSettings settings) {
    this(start, Database.open(database), new TargetServer(), settings);
  }

  private ManualEngine(Instant start, Database db, TargetServer target, EngineSettings settings) {
    this.clock = new SettableClock(start);
    this.db = db;
    this.target = target;
    this.schedules = new ScheduleStore(db);
    this.runs = new RunStore(db);
    this.engineStore = new EngineStore(db);
    this.dispatcher = new HttpDispatcher(Duration.ofSeconds(2), 1024, clock);
    this.engine = Engine.manual(engineStore, dispatcher, clock, settings);
    engine.start();
  }

  /** A new engine on the same database, target and clock, as a node started again would be. */
  Engine restart(EngineSettings settings) {
    engine = Engine.manual(engineStore, dispatcher, clock, settings);
    engine.start();
    return engine;
  }

  Schedule insert(ScheduleBuilder builder) {
    Schedule schedule = builder.build();
    schedules.insert(schedule);
    return schedule;
  }

  /** Sets the clock to {@code instant} and runs one engine turn. */
  void at(Instant instant) {
    clock.set(instant);
    engine.tick();
  }

  /** Waits until no call is under way and every result is written. */
  void quiet() {
    await().until(engine::isQuiet);
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

  @Override
  public void close() {
    target.releaseHanging();
    engine.close();
    dispatcher.close();
    target.close();
    db.close();
  }
}
