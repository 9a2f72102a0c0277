package dev.chime.server.alerts;

import static dev.chime.server.testing.Json.interval;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import dev.chime.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database, both judging the rules and both sending, as fast as they
 * can: a tenant's rule broken by one schedule still makes exactly one alert, and its recovery
 * exactly one message.
 */
class AlertsClusterTest {
  @Test
  void twoNodesRacingMakeOneAlertPerIncidentAndOneRecovery() {
    DatabaseSettings database = TestDatabases.postgres();
    Map<String, String> fast = Map.of("CHIME_ALERTS_POLL_MS", "10");
    try (TargetServer target = new TargetServer();
        AlertReceivers receivers = new AlertReceivers();
        ChimeTestNode one = ChimeTestNode.start(database, Clock.systemUTC(), fast);
        ChimeTestNode two = ChimeTestNode.start(database, Clock.systemUTC(), fast)) {
      AtomicBoolean failing = new AtomicBoolean(true);
      target.answer(r -> failing.get() ? Answer.status(500) : Answer.ok());
      JsonNode hook =
          AlertReceivers.create(one, receivers.webhookChannel("cluster-hook", "/cluster"));
      Response rule =
          two.post(
              "/api/v1/alert-rules",
              "{\"kind\":\"failures\",\"threshold\":1,\"channels\":[\""
                  + hook.path("id").asText()
                  + "\"]}");
      assertThat(rule.status()).as(rule.raw().body()).isEqualTo(201);
      Response created =
          one.post(
              "/api/v1/schedules",
              "{\"name\":\"cluster-job\",\"trigger\":"
                  + interval(3600)
                  + ",\"target\":{\"url\":\""
                  + target.url("/job")
                  + "\"},\"retry_policy\":{\"max_attempts\":1}}");
      String schedule = created.json().path("id").asText();

      for (int i = 0; i < 3; i++) {
        ChimeTestNode node = i % 2 == 0 ? one : two;
        String run =
            node.post("/api/v1/schedules/" + schedule + "/run-now", null)
                .json()
                .path("id")
                .asText();
        await()
            .until(
                () ->
                    node.get("/api/v1/runs/" + run)
                        .json()
                        .path("status")
                        .asText()
                        .equals("failed"));
      }
      await().until(() -> receivers.webhookBodies("/cluster").size() == 1);
      failing.set(false);
      String ok =
          two.post("/api/v1/schedules/" + schedule + "/run-now", null).json().path("id").asText();
      await()
          .until(
              () -> two.get("/api/v1/runs/" + ok).json().path("status").asText().equals("success"));
      await().until(() -> receivers.webhookBodies("/cluster").size() == 2);
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .until(() -> receivers.webhookBodies("/cluster").size() == 2);
      List<JsonNode> bodies = receivers.webhookBodies("/cluster");
      assertThat(bodies.get(0).path("alerts")).hasSize(1);
      assertThat(bodies.get(0).path("alerts").get(0).path("event").asText()).isEqualTo("opened");
      assertThat(bodies.get(1).path("alerts").get(0).path("event").asText()).isEqualTo("resolved");
      assertThat(bodies.get(1).path("alerts").get(0).path("schedule").path("id").asText())
          .isEqualTo(schedule);
    }
  }
}
