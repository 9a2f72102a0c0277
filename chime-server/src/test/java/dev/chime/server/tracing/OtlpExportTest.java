package dev.chime.server.tracing;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A real node exporting to a real OTLP/HTTP receiver on a local port, configured by {@code OTEL_*}
 * variables alone: the fire's span arrives with the run's trace id and, as its own span id, the
 * parent the target's {@code traceparent} named. Without the variables nothing is exported.
 */
class OtlpExportTest {
  /** What an OTLP/HTTP collector received: path, content type and the protobuf body. */
  record Export(String path, String contentType, byte[] body) {}

  @Test
  void aFireIsExportedAsASpanOfTheRunsTraceWhoseIdTheTargetGotAsItsParent() throws IOException {
    List<Export> exports = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          exports.add(
              new Export(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  exchange.getRequestBody().readAllBytes()));
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    try (TargetServer target = new TargetServer();
        ChimeTestNode chime =
            ChimeTestNode.start(
                TestDatabases.h2(),
                Clock.systemUTC(),
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://127.0.0.1:" + collector.getAddress().getPort(),
                    "OTEL_SERVICE_NAME",
                    "chime-under-test",
                    "OTEL_BSP_SCHEDULE_DELAY",
                    "50"))) {
      String id =
          chime
              .post(
                  "/api/v1/schedules",
                  schedule("traced", interval(3600), target(target.url("/hook").toString())))
              .json()
              .path("id")
              .asText();
      String run =
          chime.post("/api/v1/schedules/" + id + "/run-now", "{}").json().path("id").asText();
      await().until(() -> target.received("/hook").size() == 1);
      String traceparent = target.received("/hook").get(0).header("traceparent");
      String traceId = chime.get("/api/v1/runs/" + run).json().path("trace_id").asText();
      String[] parts = traceparent.split("-");
      assertThat(parts[1]).isEqualTo(traceId);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> exports.stream().anyMatch(e -> holds(e.body(), traceId)));
      Export export =
          exports.stream().filter(e -> holds(e.body(), traceId)).findFirst().orElseThrow();
      assertThat(export.path()).isEqualTo("/v1/traces");
      assertThat(export.contentType()).isEqualTo("application/x-protobuf");
      // the span's own id is the parent the target was given, so the target's spans join the trace
      assertThat(holds(export.body(), parts[2])).isTrue();
      String text = new String(export.body(), StandardCharsets.ISO_8859_1);
      assertThat(text).contains("chime-under-test").contains("chime fire").contains(run);
    } finally {
      collector.stop(0);
    }
  }

  @Test
  void withoutOtelVariablesNothingIsExported() {
    assertThat(FireTracing.wanted(Map.of())).isFalse();
    assertThat(FireTracing.wanted(Map.of("OTEL_SERVICE_NAME", "chime"))).isFalse();
    assertThat(FireTracing.wanted(Map.of("OTEL_TRACES_EXPORTER", "none"))).isFalse();
    assertThat(
            FireTracing.wanted(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4318", "OTEL_SDK_DISABLED", "true")))
        .isFalse();
    assertThat(FireTracing.wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4318"))).isTrue();
    assertThat(FireTracing.start(Map.of(), runs -> Map.of())).isEmpty();
  }

  /** Whether a protobuf body holds the bytes of an id given in hex (as OTLP sends ids). */
  private static boolean holds(byte[] body, String hex) {
    byte[] id = HexFormat.of().parseHex(hex);
    outer:
    for (int i = 0; i + id.length <= body.length; i++) {
      for (int j = 0; j < id.length; j++) {
        if (body[i + j] != id[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
