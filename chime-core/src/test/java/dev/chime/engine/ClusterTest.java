package dev.chime.engine;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.dispatch.HttpDispatcher;
import dev.chime.run.Run;
import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.EngineStore;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleStore;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TestDatabases;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three nodes on one PostgreSQL or MariaDB database, with the database as the only coordinator:
 * every instant of every schedule is sent exactly once among them.
 */
class ClusterTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  static Stream<Arguments> databases() {
    return Stream.of(
        Arguments.of(
            "postgresql", (java.util.function.Supplier<DatabaseSettings>) TestDatabases::postgres),
        Arguments.of(
            "mariadb", (java.util.function.Supplier<DatabaseSettings>) TestDatabases::mariadb));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void threeNodesSendEachInstantOnce(
      String name, java.util.function.Supplier<DatabaseSettings> settings) {
    SettableClock clock = new SettableClock(T0);
    try (Database db = Database.open(settings.get());
        TargetServer target = new TargetServer();
        HttpDispatcher dispatcher = new HttpDispatcher(Duration.ofSeconds(5), 256, clock)) {
      ScheduleStore schedules = new ScheduleStore(db);
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        var schedule = aSchedule().every(10).target(target.url("/cluster")).createdAt(T0).build();
        schedules.insert(schedule);
        ids.add(schedule.id());
      }
      RunStore runs = new RunStore(db);
      List<Engine> nodes = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        Engine engine =
            new Engine(
                new EngineStore(db),
                dispatcher,
                clock,
                new EngineSettings(
                    "node-" + n,
                    Duration.ofMillis(20),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(30),
                    7,
                    Duration.ofSeconds(5),
                    URI.create("http://127.0.0.1:1"),
                    1000,
                    1000));
        engine.start();
        nodes.add(engine);
      }
      try {
        for (int step = 1; step <= 5; step++) {
          clock.set(T0.plusSeconds(10L * step));
          nodes.forEach(Engine::wake);
          int expected = 40 * step;
          await().until(() -> target.received("/cluster").size() >= expected);
          // the next instant comes only once these runs are written: with the default overlap
          // policy a run still in flight would make it a skipped instant
          await().until(() -> allFinished(runs, ids));
        }
        long turns = nodes.get(0).loopTurns();
        await().until(() -> nodes.get(0).loopTurns() > turns + 5);

        List<String> keys =
            target.received("/cluster").stream().map(r -> r.header("Idempotency-Key")).toList();
        assertThat(keys).hasSize(200).doesNotHaveDuplicates();
        for (UUID id : ids) {
          List<Run> history = runs.listBySchedule("default", id, Optional.empty(), 10).items();
          assertThat(history).hasSize(5).extracting(Run::attempt).containsOnly(1);
        }
        assertThat(nodes).allMatch(engine -> engine.firedTotal() > 0);
      } finally {
        nodes.forEach(Engine::close);
      }
    }
  }

  private static boolean allFinished(RunStore runs, List<UUID> ids) {
    return ids.stream()
        .allMatch(
            id ->
                runs.listBySchedule("default", id, Optional.empty(), 10).items().stream()
                    .allMatch(r -> r.status().isFinal()));
  }
}
