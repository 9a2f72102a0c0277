package dev.chime.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The packaged jar as an operator runs it: {@code java -jar}, settings as {@code CHIME_*}
 * variables, its output appended to {@code chime.log} in the data folder. For *IT tests, which
 * failsafe runs after the jar is built ({@code chime.jar} names it).
 */
public final class ChimeJar {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path dataDir;
  private final int port;
  private final Map<String, String> settings;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A jar on a free port of 127.0.0.1 with its data under {@code dataDir}. */
  public ChimeJar(Path dataDir, Map<String, String> settings) {
    this.dataDir = dataDir;
    this.port = freePort();
    this.settings = Map.copyOf(settings);
  }

  public Process start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // JVM options as bin/start takes them
    String options = settings.getOrDefault("CHIME_JAVA_OPTS", "").strip();
    if (!options.isEmpty()) {
      command.addAll(List.of(options.split("\\s+")));
    }
    command.add("-jar");
    command.add(System.getProperty("chime.jar"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    builder.environment().put("CHIME_PORT", Integer.toString(port));
    builder.environment().put("CHIME_HOST", "127.0.0.1");
    builder.environment().put("CHIME_DATA_DIR", dataDir.toString());
    builder.environment().put("CHIME_ADMIN_TOKEN", ChimeTestNode.ADMIN_TOKEN);
    builder.environment().putAll(settings);
    return builder.start();
  }

  /** Waits for {@code /health/ready} to answer 200; returns {@link System#nanoTime()} then. */
  public long awaitReady() {
    AtomicLong readyAt = new AtomicLong();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> {
              boolean ready = send("GET", "/health/ready", null).statusCode() == 200;
              readyAt.set(System.nanoTime());
              return ready;
            });
    return readyAt.get();
  }

  /** A call that must succeed (2xx); its body as JSON. */
  public JsonNode call(String method, String path, String body) throws Exception {
    HttpResponse<String> response = send(method, path, body);
    assertThat(response.statusCode()).as(response.body() + "\n" + log()).isLessThan(300);
    return MAPPER.readTree(response.body());
  }

  public HttpResponse<String> send(String method, String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header(
                "Authorization",
                "Bearer " + settings.getOrDefault("CHIME_ADMIN_TOKEN", ChimeTestNode.ADMIN_TOKEN))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Everything the jar's runs so far printed. */
  public String log() throws IOException {
    return Files.exists(logFile()) ? Files.readString(logFile()) : "";
  }

  private Path logFile() {
    return dataDir.resolve("chime.log");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
