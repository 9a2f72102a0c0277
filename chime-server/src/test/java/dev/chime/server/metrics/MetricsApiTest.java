package dev.chime.server.metrics;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.server.testing.Tenants;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import dev.chime.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} after known fires: counters by outcome and tenant, the lateness and duration
 * histograms, the engine's and the pool's gauges, and who may scrape.
 */
class MetricsApiTest {
  @Test
  void knownFiresShowInTheCountersAndHistograms() {
    try (TargetServer target = new TargetServer();
        ChimeTestNode node = ChimeTestNode.start()) {
      target.answer(r -> r.path().equals("/fail") ? Answer.status(500) : Answer.ok());
      for (String path : new String[] {"/ok", "/ok", "/ok", "/fail"}) {
        String body =
            schedule(
                    "m" + path + System.nanoTime(),
                    interval(3600),
                    target(target.url(path).toString()))
                .replace("\"payload\"", "\"retry_policy\":{\"max_attempts\":1},\"payload\"");
        String id = node.post("/api/v1/schedules", body).json().path("id").asText();
        assertThat(node.post("/api/v1/schedules/" + id + "/run-now", "{}").status()).isEqualTo(202);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> value(scrape(node), "chime_fires_total", "outcome=\"success\"") == 3);
      String text = scrape(node);
      assertThat(value(text, "chime_fires_total", "outcome=\"failed\"")).isEqualTo(1);
      assertThat(text).contains("tenant=\"default\"");
      assertThat(value(text, "chime_call_duration_seconds_count", "outcome=\"success\""))
          .isEqualTo(3);
      assertThat(text)
          .contains("chime_call_duration_seconds_bucket{outcome=\"success\",le=\"0.001\"}");
      assertThat(text).contains("chime_fire_lateness_seconds_bucket{le=\"60.0\"}");
      assertThat(value(text, "chime_results_written_total", "")).isGreaterThanOrEqualTo(4);
      assertThat(text).contains("chime_runs_in_flight ").contains("chime_results_pending ");
      assertThat(text).contains("chime_db_pool_connections{state=\"active\"}");
      assertThat(text).contains("chime_claim_duration_seconds_count ");
      assertThat(text).contains("chime_node_heartbeat_age_seconds ");
      assertThat(text).contains("jvm_memory_used_bytes");
      // no label may carry a schedule's or a run's id
      assertThat(text)
          .doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> value(scrape(node), "chime_schedules", "state=\"enabled\"") == 4);
    }
  }

  @Test
  void thePoolGaugesStillReadAfterAGarbageCollection() {
    try (ChimeTestNode node = ChimeTestNode.start()) {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      String text = scrape(node);
      for (String state : new String[] {"active", "idle", "pending"}) {
        assertThat(value(text, "chime_db_pool_connections", "state=\"" + state + "\""))
            .as(state)
            .isNotNaN()
            .isGreaterThanOrEqualTo(0);
      }
    }
  }

  @Test
  void scrapingNeedsMetricsReadUnlessTheOperatorOpensIt() {
    try (ChimeTestNode node = ChimeTestNode.start()) {
      assertThat(node.as(null).get("/metrics").status()).isEqualTo(401);
      assertThat(node.as(Tenants.token(node, "default", "schedules:read")).get("/metrics").status())
          .isEqualTo(403);
      Response scraped = node.as(Tenants.token(node, "default", "metrics:read")).get("/metrics");
      assertThat(scraped.status()).isEqualTo(200);
      assertThat(scraped.contentType()).startsWith("text/plain");
    }
    try (ChimeTestNode open =
        ChimeTestNode.start(
            TestDatabases.h2(), Clock.systemUTC(), Map.of("CHIME_METRICS_AUTH", "open"))) {
      assertThat(open.as(null).get("/metrics").status()).isEqualTo(200);
    }
  }

  private static String scrape(ChimeTestNode node) {
    return node.get("/metrics").raw().body();
  }

  /** The value of the series {@code name} whose labels contain {@code labels}; -1 if none. */
  private static double value(String text, String name, String labels) {
    Matcher lines =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
    while (lines.find()) {
      String found = lines.group(1) == null ? "" : lines.group(1);
      if (found.contains(labels)) {
        return Double.parseDouble(lines.group(2));
      }
    }
    return -1;
  }
}
