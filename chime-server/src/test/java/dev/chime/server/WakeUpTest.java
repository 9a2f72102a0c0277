package dev.chime.server;

import static dev.chime.server.testing.Json.once;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.engine.WakeUpListener;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.RunStore;
import dev.chime.testing.PostgresBackends;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Received;
import dev.chime.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL whose engines poll only every 30 s: a schedule made through node A,
 * or a run queued by another writer, reaches node B by {@code NOTIFY} and fires from B on time,
 * also after B's listening connection was killed on the server.
 */
class WakeUpTest {
  private static final Duration POLL = Duration.ofSeconds(30);

  /** Far below the poll: only a wake-up can explain a fire this punctual. */
  private static final Duration ON_TIME = Duration.ofMillis(1_500);

  @Test
  void aScheduleMadeOnNodeAFiresFromNodeBOnTimeAndAgainAfterItsListenerWasKilled() {
    DatabaseSettings database = TestDatabases.postgres();
    Map<String, String> slow = Map.of("CHIME_ENGINE_POLL_MS", Long.toString(POLL.toMillis()));
    // A's clock stands 25 years back, so A's own engine never finds anything due: it only takes
    // the API's writes, and every fire below can come from B alone
    SettableClock past = new SettableClock(Instant.parse("2001-01-01T00:00:00Z"));
    try (TargetServer target = new TargetServer();
        ChimeTestNode a = ChimeTestNode.start(database, past, with(slow, "node-a"));
        ChimeTestNode b = ChimeTestNode.start(database, Clock.systemUTC(), with(slow, "node-b"))) {
      WakeUpListener listener = b.node().wakeUps();
      await().atMost(Duration.ofSeconds(10)).until(() -> listener.wakes() >= 1);

      fireInOneSecond(a, target, "first");
      fireInOneSecond(a, target, "second");
      assertThat(listener.notifications()).isGreaterThanOrEqualTo(2);

      // a run queued for now by a writer with the real time (A's API would date it 2001, which
      // A's own engine finds due): B sends it at once
      String id = create(a, target, "by-hand", Instant.parse("2099-01-01T00:00:00Z"));
      Instant asked = Clock.systemUTC().instant().truncatedTo(ChronoUnit.MICROS);
      try (Database writer = Database.open(database)) {
        UUID schedule = UUID.fromString(id);
        assertThat(
                new RunStore(writer)
                    .insertQueued(
                        Run.queued(
                            "default",
                            schedule,
                            Run.runKey(schedule, asked),
                            1,
                            RunOrigin.MANUAL,
                            asked,
                            asked,
                            asked)))
            .isTrue();
      }
      Received manual = awaitCall(target, "/by-hand");
      assertThat(Duration.between(asked, Instant.ofEpochMilli(manual.receivedEpochMillis())))
          .isLessThan(ON_TIME);

      List<Integer> killed = PostgresBackends.pids(database, listener.applicationName());
      assertThat(killed).hasSize(1);
      assertThat(PostgresBackends.terminate(database, listener.applicationName())).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> listener.connections() == 2);
      assertThat(PostgresBackends.pids(database, listener.applicationName()))
          .hasSize(1)
          .doesNotContainAnyElementsOf(killed);
      long wakes = listener.wakes();

      fireInOneSecond(a, target, "after-kill");
      fireInOneSecond(a, target, "after-kill-again");
      assertThat(listener.wakes()).isGreaterThan(wakes);
      assertThat(a.node().engine().firedTotal()).isZero();
      assertThat(b.node().engine().firedTotal()).isEqualTo(5);
    }
  }

  private static Map<String, String> with(Map<String, String> settings, String nodeId) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put("CHIME_NODE_ID", nodeId);
    return all;
  }

  /** Creates through {@code a} a schedule for one second from now; it must arrive on time. */
  private static void fireInOneSecond(ChimeTestNode a, TargetServer target, String name) {
    Instant at = Clock.systemUTC().instant().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
    create(a, target, name, at);
    Received call = awaitCall(target, "/" + name);
    Duration late = Duration.between(at, Instant.ofEpochMilli(call.receivedEpochMillis()));
    assertThat(late).as(name + " arrived late by").isLessThan(ON_TIME);
  }

  private static String create(ChimeTestNode a, TargetServer target, String name, Instant at) {
    Response created =
        a.post(
            "/api/v1/schedules",
            schedule(name, once(at.toString()), target(target.url("/" + name).toString())));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  private static Received awaitCall(TargetServer target, String path) {
    List<Received> calls =
        await()
            .atMost(POLL.dividedBy(3))
            .until(() -> target.received(path), received -> !received.isEmpty());
    return calls.get(0);
  }
}
