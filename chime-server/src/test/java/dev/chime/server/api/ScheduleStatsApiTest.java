package dev.chime.server.api;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static dev.chime.server.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.testing.TargetServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/schedules/{id}/stats} on a real node. */
class ScheduleStatsApiTest {
  @Test
  void aRunByHandIsCountedAndABadWindowIsNamed() {
    try (TargetServer target = new TargetServer();
        ChimeTestNode node = ChimeTestNode.start()) {
      String id =
          node.post(
                  "/api/v1/schedules",
                  schedule("stats", interval(3600), target(target.url("/s").toString())))
              .json()
              .path("id")
              .asText();
      node.post("/api/v1/schedules/" + id + "/run-now", "{}");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  node.get("/api/v1/schedules/" + id + "/stats?window=1h")
                          .json()
                          .path("by_status")
                          .path("success")
                          .asInt()
                      == 1);
      JsonNode stats = node.get("/api/v1/schedules/" + id + "/stats?window=1h").json();
      assertThat(stats.path("manual").asInt()).isEqualTo(1);
      assertThat(stats.path("fires").asInt()).isZero();
      assertThat(stats.path("success_rate").asDouble()).isEqualTo(1.0);
      assertThat(stats.path("window_s").asLong()).isEqualTo(3600);
      assertThat(stats.path("drift").path("expected").asInt()).isZero();
      assertProblem(
          node.get("/api/v1/schedules/" + id + "/stats?window=90d"), 400, "window", "at most 31d");
      assertProblem(
          node.get("/api/v1/schedules/" + id + "/stats?window=soon"), 400, "window", "such as 90m");
    }
  }
}
