package dev.chime.server.api;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TcpProxy;
import dev.chime.testing.TestDatabases;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL behind a proxy that is cut while the node runs: the database refuses connections. The
 * API answers at once from what it knows, or 503 within the pool's wait, never after minutes.
 */
class DatabaseDownTest {
  private static final Duration DOWN_ANSWER_BOUND = Duration.ofSeconds(2);

  @Test
  void withTheDatabaseRefusingConnectionsTheApiAnswers503QuicklyAndReadinessSaysWhy()
      throws Exception {
    DatabaseSettings database = TestDatabases.postgres();
    URI url = URI.create(database.url().substring("jdbc:".length()));
    try (TcpProxy proxy = new TcpProxy(url.getHost(), url.getPort());
        ChimeTestNode chime =
            ChimeTestNode.start(
                new DatabaseSettings(
                    database.url().replace(":" + url.getPort() + "/", ":" + proxy.port() + "/"),
                    database.user(),
                    database.password(),
                    4,
                    Duration.ofSeconds(1)),
                Clock.systemUTC(),
                Map.of("CHIME_DB_POOL_TIMEOUT_MS", "1000"))) {
      assertThat(chime.get("/health/ready").status()).isEqualTo(200);
      assertThat(
              chime
                  .post(
                      "/api/v1/schedules",
                      schedule("before", interval(60), target("http://127.0.0.1:9/x")))
                  .status())
          .isEqualTo(201);

      proxy.refuse();

      Response ready =
          await()
              .atMost(Duration.ofSeconds(15))
              .until(
                  () -> timed(() -> chime.get("/health/ready")),
                  r -> r.json().path("checks").path("database").asText().equals("down"));
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().path("status").asText()).isEqualTo("not_ready");
      assertThat(ready.json().path("reason").asText()).startsWith("the database");

      assertUnavailable(timed(() -> chime.get("/api/v1/schedules")));
      assertUnavailable(
          timed(
              () ->
                  chime.post(
                      "/api/v1/schedules",
                      schedule("while-down", interval(60), target("http://127.0.0.1:9/x")))));
      // readiness never waits on the database: many answers in a row, each from the last check
      for (int i = 0; i < 20; i++) {
        Response again = timed(() -> chime.get("/health/ready"));
        assertThat(again.status()).isEqualTo(503);
      }
    }
  }

  private static void assertUnavailable(Response response) {
    assertThat(response.status()).as(response.raw().body()).isEqualTo(503);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().path("type").asText())
        .isEqualTo("urn:chime:problem:database-unavailable");
    assertThat(response.header("Retry-After")).isEqualTo("2");
  }

  /**
   * The answer, after checking that it came within the bound the API keeps with a dead database.
   */
  private static Response timed(Supplier<Response> call) {
    long started = System.nanoTime();
    Response response = call.get();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DOWN_ANSWER_BOUND);
    return response;
  }
}
