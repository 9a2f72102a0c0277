package dev.chime.server.api;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.testing.TestDatabases;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a web page can make a visitor's browser do with Chime: by default nothing (no CORS, no form
 * posts, no writes from foreign pages); with http.cors.origins, what the listed pages may.
 */
class BrowserSafetyTest {
  private static final String APP = "https://app.example.com";
  private static final String EVIL = "https://evil.example";
  private static final String HOOK = "http://127.0.0.1:9/hook";
  private static ChimeTestNode closed;
  private static ChimeTestNode open;

  @BeforeAll
  static void start() {
    closed = ChimeTestNode.start();
    open =
        ChimeTestNode.start(
            TestDatabases.h2(),
            Clock.systemUTC(),
            Map.of("CHIME_HTTP_CORS_ORIGINS", APP + ", http://localhost:3000"));
  }

  @AfterAll
  static void stop() {
    closed.close();
    open.close();
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    Response[] answers = {
      closed.get("/api/v1/schedules"),
      closed.get("/api/v1/schedules/" + UUID.randomUUID()),
      closed.get("/no/such/path"),
      closed.send("POST", "/api/v1/schedules", "x", "text/plain"),
      closed.get("/api/v1/schedules/%00"),
      closed.get("/api/v1/schedules?name=" + "a".repeat(10_000)),
      closed.send("OPTIONS", "/api/v1/schedules", null, null),
      closed.get("/health/ready")
    };
    for (Response answer : answers) {
      assertThat(answer.header("X-Content-Type-Options"))
          .as(answer.raw().uri().toString())
          .isEqualTo("nosniff");
      assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(answer.header("Content-Security-Policy"))
          .contains("default-src 'self'")
          .contains("frame-ancestors 'none'");
      assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
    }
  }

  @Test
  void withoutAnAllowListThereAreNoCorsHeadersAndNoPreflight() {
    Response read = closed.send("GET", "/api/v1/schedules", null, null, Map.of("Origin", APP));
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("Access-Control-Allow-Origin")).isNull();

    Response preflight = preflight(closed, APP, "POST");
    assertThat(preflight.status()).isEqualTo(403);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    assertThat(preflight.json().path("type").asText()).isEqualTo("urn:chime:problem:cross-origin");
  }

  @Test
  void aCrossSiteFormPostIs415AndStoresNothing() {
    int before = count(closed);

    Response form =
        closed.send(
            "POST",
            "/api/v1/schedules",
            schedule("form", interval(60), target(HOOK)),
            "text/plain",
            Map.of("Origin", "null"));

    assertThat(form.status()).isIn(403, 415);
    assertThat(form.contentType()).startsWith("application/problem+json");
    assertThat(count(closed)).isEqualTo(before);
  }

  @Test
  void aWriteFromAForeignPageIsRefusedEvenAsJson() {
    int before = count(closed);
    Response write = create(closed, "foreign", EVIL);

    assertThat(write.status()).isEqualTo(403);
    assertThat(write.json().path("detail").asText()).contains(EVIL).contains("http.cors.origins");
    assertThat(count(closed)).isEqualTo(before);

    Response runNow =
        closed.send(
            "POST",
            "/api/v1/schedules/" + UUID.randomUUID() + "/run-now",
            null,
            null,
            Map.of("Origin", EVIL));
    assertThat(runNow.status()).isEqualTo(403);
  }

  @Test
  void aWriteFromThisServersOwnPageIsAccepted() {
    String self = "http://127.0.0.1:" + closed.node().port();
    Response write = create(closed, "own-page", self);

    assertThat(write.status()).as(write.raw().body()).isEqualTo(201);
  }

  @Test
  void optionsListsTheMethodsOfAPath() {
    Response options = closed.send("OPTIONS", "/api/v1/schedules/" + UUID.randomUUID(), null, null);

    assertThat(options.status()).isEqualTo(204);
    assertThat(options.header("Allow")).isEqualTo("GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
    assertThat(closed.send("OPTIONS", "/no/such/path", null, null).status()).isEqualTo(404);
  }

  @Test
  void anAllowedOriginGetsItsPreflightAndItsAnswers() {
    Response preflight = preflight(open, APP, "PATCH");
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(preflight.header("Access-Control-Allow-Methods")).contains("PATCH");
    assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Content-Type");
    assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("600");
    assertThat(preflight.header("Vary")).contains("Origin");

    Response created = create(open, "from-app", APP);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.header("Access-Control-Allow-Origin")).isEqualTo(APP);
    assertThat(created.header("Access-Control-Expose-Headers")).contains("Location");

    Response local =
        open.send(
            "GET", "/api/v1/schedules", null, null, Map.of("Origin", "http://localhost:3000"));
    assertThat(local.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
  }

  @Test
  void anOriginNotListedGetsNoCorsHeadersWhenOthersAre() {
    assertThat(preflight(open, EVIL, "POST").status()).isEqualTo(403);
    Response read = open.send("GET", "/api/v1/schedules", null, null, Map.of("Origin", EVIL));
    assertThat(read.header("Access-Control-Allow-Origin")).isNull();
  }

  /** A create sent by a page of {@code origin}. */
  private static Response create(ChimeTestNode node, String name, String origin) {
    return node.send(
        "POST",
        "/api/v1/schedules",
        schedule(name, interval(60), target(HOOK)),
        "application/json",
        Map.of("Origin", origin));
  }

  private static Response preflight(ChimeTestNode node, String origin, String method) {
    return node.send(
        "OPTIONS",
        "/api/v1/schedules/" + UUID.randomUUID(),
        null,
        null,
        Map.of(
            "Origin",
            origin,
            "Access-Control-Request-Method",
            method,
            "Access-Control-Request-Headers",
            "content-type"));
  }

  private static int count(ChimeTestNode node) {
    return node.get("/api/v1/schedules?limit=500").json().get("items").size();
  }
}
