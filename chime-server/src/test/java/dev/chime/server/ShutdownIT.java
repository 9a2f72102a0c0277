package dev.chime.server;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeJar;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as an operator runs it: started with {@code java -jar}, stopped with SIGTERM
 * while a call is in flight, started again on the same data folder.
 */
class ShutdownIT {
  @TempDir Path dataDir;

  @Test
  void sigtermLetsTheInFlightCallFinishAndARestartKeepsEverything() throws Exception {
    try (TargetServer target = new TargetServer()) {
      target.answerAlways(new Answer(200, "{\"slow\":true}", Duration.ofMillis(1500), false));
      ChimeJar jar = new ChimeJar(dataDir, Map.of("CHIME_SHUTDOWN_GRACE_S", "10"));
      Process first = jar.start();
      String runId;
      String scheduleId;
      try {
        jar.awaitReady();
        scheduleId =
            jar.call(
                    "POST",
                    "/api/v1/schedules",
                    schedule("nightly", interval(3600), target(target.url("/slow").toString())))
                .get("id")
                .asText();
        runId =
            jar.call("POST", "/api/v1/schedules/" + scheduleId + "/run-now", null)
                .get("id")
                .asText();
        await().until(() -> target.received("/slow").size() == 1);
      } finally {
        first.destroy(); // SIGTERM
      }
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

      Process second = jar.start();
      try {
        jar.awaitReady();
        JsonNode run = jar.call("GET", "/api/v1/runs/" + runId, null);
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(run.get("response_excerpt").asText()).isEqualTo("{\"slow\":true}");
        assertThat(jar.call("GET", "/api/v1/schedules/" + scheduleId, null).get("name").asText())
            .isEqualTo("nightly");
      } finally {
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
