package dev.chime.server.metrics;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in docs/grafana queries only metrics a real node serves: every metric name
 * in its PromQL (panels and variables) is in a scrape of {@code /metrics} taken after fires that
 * succeeded, failed and were skipped. A renamed metric fails here instead of leaving a blank panel.
 */
class DashboardTest {
  private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "chime-dashboard.json");
  private static final Pattern METRIC = Pattern.compile("\\b((?:chime|jvm|process)_[a-z0-9_]+)\\b");

  @Test
  void everyMetricTheDashboardQueriesIsInARealScrape() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    collect(dashboard, queries);
    Set<String> used = new TreeSet<>();
    for (String query : queries) {
      Matcher names = METRIC.matcher(query);
      while (names.find()) {
        used.add(names.group(1));
      }
    }
    assertThat(queries).hasSizeGreaterThanOrEqualTo(13);
    assertThat(used)
        .contains(
            "chime_fires_total",
            "chime_fire_lateness_seconds_bucket",
            "chime_call_duration_seconds_bucket",
            "chime_due_backlog_age_seconds",
            "chime_node_heartbeat_age_seconds");

    try (TargetServer target = new TargetServer();
        ChimeTestNode node = ChimeTestNode.start()) {
      target.answer(
          r ->
              switch (r.path()) {
                case "/fail" -> Answer.status(500);
                case "/hangs" -> Answer.hanging();
                default -> Answer.ok();
              });
      for (String path : List.of("/ok", "/fail")) {
        String id =
            node.post(
                    "/api/v1/schedules",
                    schedule("d" + path, interval(3600), target(target.url(path).toString()))
                        .replace(
                            "\"payload\"", "\"retry_policy\":{\"max_attempts\":1},\"payload\""))
                .json()
                .path("id")
                .asText();
        node.post("/api/v1/schedules/" + id + "/run-now", "{}");
      }
      // every second, and the first call hangs: the next instants are skipped as overlaps
      node.post(
          "/api/v1/schedules",
          schedule("d-hangs", interval(1), target(target.url("/hangs").toString())));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                String text = node.get("/metrics").raw().body();
                return text.contains("chime_skipped_total{") && text.contains("outcome=\"failed\"");
              });
      String scrape = node.get("/metrics").raw().body();
      target.releaseHanging();
      for (String name : used) {
        assertThat(scrape)
            .as("the dashboard queries %s", name)
            .containsPattern("(?m)^" + Pattern.quote(name) + "[{ ]");
      }
    }
  }

  /** Every {@code expr} of a panel's targets and every variable's query, anywhere in the JSON. */
  private static void collect(JsonNode node, List<String> queries) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              field -> {
                if ((field.getKey().equals("expr") || field.getKey().equals("definition"))
                    && field.getValue().isTextual()) {
                  queries.add(field.getValue().asText());
                } else {
                  collect(field.getValue(), queries);
                }
              });
    } else if (node.isArray()) {
      node.forEach(item -> collect(item, queries));
    }
  }
}
