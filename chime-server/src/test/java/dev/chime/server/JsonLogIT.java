package dev.chime.server;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.server.testing.ChimeJar;
import dev.chime.testing.TargetServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's log: with {@code CHIME_LOG_FORMAT=json} every line is one JSON object; with
 * {@code CHIME_LOG_RUNS=off} a run ends on record without a line.
 */
class JsonLogIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void everyLineOfTheLogIsJsonAndEachRunEndIsOne() throws Exception {
    try (TargetServer target = new TargetServer()) {
      ChimeJar jar = new ChimeJar(dataDir, Map.of("CHIME_LOG_FORMAT", "json"));
      Process process = jar.start();
      try {
        String id = runOnce(jar, target, "logged").scheduleId();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> jar.log().contains("run ended tenant=default schedule=" + id));
      } finally {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      List<JsonNode> lines = new ArrayList<>();
      for (String line : jar.log().split("\n")) {
        if (line.startsWith("WARNING:") || line.isBlank()) {
          continue; // the JVM's own warnings, before logging starts
        }
        lines.add(MAPPER.readTree(line));
      }
      assertThat(lines)
          .anySatisfy(
              l -> assertThat(l.path("formattedMessage").asText()).startsWith("Chime is ready"));
      assertThat(lines)
          .anySatisfy(
              l -> {
                assertThat(l.path("loggerName").asText()).isEqualTo("chime.runs");
                assertThat(l.path("level").asText()).isEqualTo("INFO");
                assertThat(l.path("formattedMessage").asText()).contains("status=success");
              });
    }
  }

  @Test
  void withRunsLogOffARunEndsOnRecordWithoutALine() throws Exception {
    try (TargetServer target = new TargetServer()) {
      ChimeJar jar = new ChimeJar(dataDir, Map.of("CHIME_LOG_RUNS", "off"));
      Process process = jar.start();
      try {
        String runId = runOnce(jar, target, "quiet").runId();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    jar.call("GET", "/api/v1/runs/" + runId, null)
                        .path("status")
                        .asText()
                        .equals("success"));
      } finally {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(jar.log()).contains("log.runs = off").doesNotContain("run ended");
    }
  }

  private record Ran(String scheduleId, String runId) {}

  /** Waits for the jar to be ready, makes a schedule calling the target and runs it now. */
  private static Ran runOnce(ChimeJar jar, TargetServer target, String name) throws Exception {
    jar.awaitReady();
    String id =
        jar.call(
                "POST",
                "/api/v1/schedules",
                schedule(name, interval(3600), target(target.url("/" + name).toString())))
            .get("id")
            .asText();
    return new Ran(
        id, jar.call("POST", "/api/v1/schedules/" + id + "/run-now", null).get("id").asText());
  }
}
