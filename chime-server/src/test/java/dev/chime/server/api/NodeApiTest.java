package dev.chime.server.api;

import static dev.chime.server.testing.Json.once;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.node.NodeRegistration;
import dev.chime.server.ChimeVersion;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.NodeStore;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import dev.chime.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GET /api/v1/nodes}: each node of a cluster, its state by the database's clock, and what it
 * holds.
 */
class NodeApiTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource(TestDatabases.EVERY)
  void nodesListThemselvesAndARestartUnderTheSameIdKeepsOneRow(
      String name, Supplier<DatabaseSettings> databases) {
    DatabaseSettings database = databases.get();
    Map<String, String> first = Map.of("CHIME_NODE_ID", "node-one");
    JsonNode firstLife;
    try (ChimeTestNode one = ChimeTestNode.start(database, Clock.systemUTC(), first)) {
      Response list = one.get("/api/v1/nodes");
      assertThat(list.status()).isEqualTo(200);
      assertThat(list.json().path("items")).hasSize(1);
      firstLife = list.json().path("items").get(0);
      assertThat(firstLife.path("id").asText()).isEqualTo("node-one");
      assertThat(firstLife.path("state").asText()).isEqualTo("alive");
      assertThat(firstLife.path("address").asText()).isEqualTo(one.url("").toString());
      assertThat(firstLife.path("version").asText())
          .isEqualTo(ChimeVersion.current())
          .isNotEqualTo("unknown");
      assertThat(firstLife.path("stopped_at").isNull()).isTrue();
      assertThat(firstLife.path("heartbeat_ms").asLong()).isEqualTo(5000);
      assertThat(firstLife.path("lease_ms").asLong()).isEqualTo(30000);
      assertThat(firstLife.path("holds").path("schedules").asInt()).isZero();
      assertThat(firstLife.path("holds").path("running_runs").asInt()).isZero();
      assertThat(Instant.parse(list.json().path("checked_at").asText()))
          .isAfterOrEqualTo(Instant.parse(firstLife.path("heartbeat_at").asText()));

      Response read = one.get("/api/v1/nodes/node-one");
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.json().path("started_at")).isEqualTo(firstLife.path("started_at"));
      Response missing = one.get("/api/v1/nodes/no-such-node");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.contentType()).startsWith("application/problem+json");
      assertThat(missing.json().path("detail").asText())
          .isEqualTo("node no-such-node does not exist");
    }

    try (ChimeTestNode again = ChimeTestNode.start(database, Clock.systemUTC(), first);
        ChimeTestNode two =
            ChimeTestNode.start(database, Clock.systemUTC(), Map.of("CHIME_NODE_ID", "node-two"))) {
      List<JsonNode> items = new ArrayList<>();
      two.get("/api/v1/nodes").json().path("items").forEach(items::add);
      assertThat(items)
          .extracting(n -> n.path("id").asText())
          .containsExactly("node-one", "node-two");
      assertThat(items).allSatisfy(n -> assertThat(n.path("state").asText()).isEqualTo("alive"));
      JsonNode secondLife = items.get(0);
      assertThat(secondLife.path("stopped_at").isNull()).isTrue();
      assertThat(Instant.parse(secondLife.path("started_at").asText()))
          .isAfter(Instant.parse(firstLife.path("started_at").asText()));

      again.close();
      JsonNode stopped = two.get("/api/v1/nodes/node-one").json();
      assertThat(stopped.path("state").asText()).isEqualTo("gone");
      assertThat(stopped.path("stopped_at").isTextual()).isTrue();
    }
  }

  @Test
  void aNodeIsJudgedByTheDatabasesClockNotItsOwn() {
    // this node's clock is 25 years behind: its heartbeats still count, by the database's time
    SettableClock clock = new SettableClock(Instant.parse("2001-01-01T00:00:00Z"));
    try (ChimeTestNode node =
        ChimeTestNode.start(TestDatabases.h2(), clock, Map.of("CHIME_NODE_HEARTBEAT_MS", "100"))) {
      String id = node.get("/api/v1/nodes").json().path("items").get(0).path("id").asText();
      JsonNode registered = node.get("/api/v1/nodes/" + id).json();

      JsonNode later =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> node.get("/api/v1/nodes/" + id).json(),
                  n ->
                      Instant.parse(n.path("heartbeat_at").asText())
                          .isAfter(Instant.parse(registered.path("heartbeat_at").asText())));
      assertThat(later.path("state").asText()).isEqualTo("alive");
      assertThat(later.path("heartbeat_ms").asLong()).isEqualTo(100);
      assertThat(Instant.parse(later.path("heartbeat_at").asText()))
          .isAfter(Instant.parse("2020-01-01T00:00:00Z"));
    }
  }

  @Test
  void aNodeThatStopsBeatingWithoutStoppingIsSuspectThenGone() {
    DatabaseSettings database = TestDatabases.h2();
    try (ChimeTestNode node = ChimeTestNode.start(database, Clock.systemUTC(), Map.of());
        Database db = Database.open(database)) {
      // a node that registered and then froze: it never beats
      new NodeStore(db)
          .register(
              new NodeRegistration(
                  "frozen",
                  "http://frozen:8080",
                  "0.0.1",
                  Duration.ofMillis(100),
                  Duration.ofSeconds(2)));

      JsonNode suspect =
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(50))
              .until(
                  () -> node.get("/api/v1/nodes/frozen").json(),
                  n -> !n.path("state").asText().equals("alive"));
      assertThat(suspect.path("state").asText()).isEqualTo("suspect");
      // the state compares exact durations; the field is whole milliseconds, cut down
      assertThat(suspect.path("since_heartbeat_ms").asLong()).isGreaterThanOrEqualTo(200);
      JsonNode gone =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> node.get("/api/v1/nodes/frozen").json(),
                  n -> n.path("state").asText().equals("gone"));
      assertThat(gone.path("stopped_at").isNull()).isTrue();
      assertThat(gone.path("since_heartbeat_ms").asLong()).isGreaterThanOrEqualTo(2000);
    }
  }

  @Test
  void aNodeShowsTheSchedulesItLeasesAndTheRunsItIsCalling() {
    // the node's clock stands still: a fire a second ahead is claimed and held, never started
    Instant now = Clock.systemUTC().instant().truncatedTo(ChronoUnit.MILLIS);
    SettableClock clock = new SettableClock(now);
    try (TargetServer target = new TargetServer();
        ChimeTestNode node = ChimeTestNode.start(TestDatabases.h2(), clock, Map.of())) {
      target.answerAlways(Answer.hanging());
      String url = target.url("/hold").toString();
      assertThat(
              node.post(
                      "/api/v1/schedules",
                      schedule("held", once(now.plusSeconds(1).toString()), target(url)))
                  .status())
          .isEqualTo(201);
      String later =
          node.post(
                  "/api/v1/schedules",
                  schedule("called", once(now.plusSeconds(3600).toString()), target(url)))
              .json()
              .path("id")
              .asText();
      assertThat(node.post("/api/v1/schedules/" + later + "/run-now", null).status())
          .isEqualTo(202);
      String id = node.get("/api/v1/nodes").json().path("items").get(0).path("id").asText();

      JsonNode holds =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> node.get("/api/v1/nodes/" + id).json().path("holds"),
                  h -> h.path("running_runs").asInt() == 1);
      assertThat(holds.path("schedules").asInt()).isEqualTo(1);
      target.releaseHanging();
    }
  }
}
