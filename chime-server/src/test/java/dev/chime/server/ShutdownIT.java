package dev.chime.server;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as an operator runs it: started with {@code java -jar}, stopped with SIGTERM
 * while a call is in flight, started again on the same data folder.
 */
class ShutdownIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  @Test
  void sigtermLetsTheInFlightCallFinishAndARestartKeepsEverything() throws Exception {
    try (TargetServer target = new TargetServer()) {
      target.answerAlways(new Answer(200, "{\"slow\":true}", Duration.ofMillis(1500), false));
      int port = freePort();
      Process first = startJar(port);
      String runId;
      String scheduleId;
      try {
        awaitReady(port);
        scheduleId =
            call(
                    port,
                    "POST",
                    "/api/v1/schedules",
                    schedule("nightly", interval(3600), target(target.url("/slow").toString())))
                .get("id")
                .asText();
        runId =
            call(port, "POST", "/api/v1/schedules/" + scheduleId + "/run-now", null)
                .get("id")
                .asText();
        await().until(() -> target.received("/slow").size() == 1);
      } finally {
        first.destroy(); // SIGTERM
      }
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

      Process second = startJar(port);
      try {
        awaitReady(port);
        JsonNode run = call(port, "GET", "/api/v1/runs/" + runId, null);
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(run.get("response_excerpt").asText()).isEqualTo("{\"slow\":true}");
        assertThat(call(port, "GET", "/api/v1/schedules/" + scheduleId, null).get("name").asText())
            .isEqualTo("nightly");
      } finally {
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private Process startJar(int port) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(java.toString(), "-jar", System.getProperty("chime.jar"))
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dataDir.resolve("chime.log").toFile()));
    builder.environment().put("CHIME_PORT", Integer.toString(port));
    builder.environment().put("CHIME_HOST", "127.0.0.1");
    builder.environment().put("CHIME_DATA_DIR", dataDir.toString());
    builder.environment().put("CHIME_SHUTDOWN_GRACE_S", "10");
    return builder.start();
  }

  private void awaitReady(int port) {
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> status(port, "/health/ready") == 200);
  }

  private int status(int port, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private JsonNode call(int port, String method, String path, String body) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body() + "\n" + log()).isLessThan(300);
    return MAPPER.readTree(response.body());
  }

  private String log() throws IOException {
    Path file = dataDir.resolve("chime.log");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
