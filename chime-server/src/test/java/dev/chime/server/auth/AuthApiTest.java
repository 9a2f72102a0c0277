package dev.chime.server.auth;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.server.testing.Tenants;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens on a real node: who may call, the answers to those who may not, the first admin token, and
 * the development mode without authentication.
 */
class AuthApiTest {
  private static final String BODY =
      schedule("auth-test", interval(60), target("http://127.0.0.1:9/hook"));

  @Test
  void withoutATokenEveryApiCallIs401WithAChallengeButHealthAndTheDocumentAreOpen() {
    try (ChimeTestNode node = ChimeTestNode.start();
        ChimeTestNode anonymous = node.as(null)) {
      for (String path : new String[] {"/api/v1/schedules", "/api/v1/tokens", "/api/v1/audit"}) {
        Response answer = anonymous.get(path);
        assertThat(answer.status()).as(path).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"chime\"");
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("detail").asText()).contains("Authorization: Bearer");
      }
      assertThat(anonymous.post("/api/v1/schedules", BODY).status()).isEqualTo(401);
      assertThat(anonymous.get("/health/ready").status()).isEqualTo(200);
      assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
      assertThat(anonymous.get("/api/v1/openapi.json").status()).isEqualTo(200);
      assertThat(anonymous.get("/api/v1/cron/preview?expr=0%209%20*%20*%20*").status())
          .isEqualTo(200);
      // nothing was written by the refused create
      assertThat(node.get("/api/v1/schedules").json().path("items")).isEmpty();
    }
  }

  @Test
  void aBadTokenIs401AndManyFromOneAddressAre429WithRetryAfter() {
    try (ChimeTestNode node =
            ChimeTestNode.start(
                TestDatabases.h2(),
                Clock.systemUTC(),
                Map.of("CHIME_AUTH_FAILURES_PER_MINUTE", "3"));
        ChimeTestNode guesser = node.as("chime_not-a-token-anyone-made")) {
      for (int i = 0; i < 3; i++) {
        Response answer = guesser.get("/api/v1/schedules");
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
      }
      Response slowed = guesser.get("/api/v1/schedules");
      assertThat(slowed.status()).isEqualTo(429);
      assertThat(Integer.parseInt(slowed.header("Retry-After"))).isBetween(1, 60);
      assertThat(slowed.json().path("type").asText())
          .isEqualTo("urn:chime:problem:too-many-bad-tokens");
      // without trusted balancers an X-Forwarded-For the client writes itself changes nothing
      Response forged =
          guesser.send(
              "GET", "/api/v1/schedules", null, null, Map.of("X-Forwarded-For", "192.0.2.1"));
      assertThat(forged.status()).isEqualTo(429);
      // a header that is not a bearer token says what it must be
      Response basic =
          node.sendWithHeader("GET", "/api/v1/schedules", "Authorization", "Basic dXNlcjpwYXNz");
      assertThat(basic.status()).isIn(401, 429);
    }
  }

  @Test
  void behindATrustedBalancerBadTokensAreCountedPerForwardedClient() {
    // the test's requests come from 127.0.0.1, here a load balancer Chime trusts
    try (ChimeTestNode node =
        ChimeTestNode.start(
            TestDatabases.h2(),
            Clock.systemUTC(),
            Map.of(
                "CHIME_AUTH_FAILURES_PER_MINUTE",
                "3",
                "CHIME_HTTP_TRUSTED_PROXIES",
                "127.0.0.0/8"))) {
      Map<String, String> guesser =
          Map.of(
              "Authorization", "Bearer chime_not-a-token-anyone-made",
              "X-Forwarded-For", "198.51.100.1");
      for (int i = 0; i < 3; i++) {
        assertThat(node.send("GET", "/api/v1/schedules", null, null, guesser).status())
            .isEqualTo(401);
      }
      assertThat(node.send("GET", "/api/v1/schedules", null, null, guesser).status())
          .isEqualTo(429);
      // another client behind the same balancer is not slowed down with the guesser
      Response other =
          node.send(
              "GET", "/api/v1/schedules", null, null, Map.of("X-Forwarded-For", "198.51.100.2"));
      assertThat(other.status()).isEqualTo(200);
      // and a forged address on the left does not help the guesser
      Map<String, String> forged =
          Map.of(
              "Authorization", "Bearer chime_not-a-token-anyone-made",
              "X-Forwarded-For", "192.0.2.99, 198.51.100.1");
      assertThat(node.send("GET", "/api/v1/schedules", null, null, forged).status()).isEqualTo(429);
    }
  }

  @Test
  void aTokenDoesOnlyWhatItsScopesAllowAnd403NamesTheScope() {
    try (ChimeTestNode node = ChimeTestNode.start()) {
      String readOnly = Tenants.token(node, "default", "schedules:read");
      Response created = node.post("/api/v1/schedules", BODY);
      assertThat(created.status()).isEqualTo(201);
      String id = created.json().path("id").asText();
      try (ChimeTestNode reader = node.as(readOnly)) {
        assertThat(reader.get("/api/v1/schedules/" + id).status()).isEqualTo(200);
        Response write = reader.post("/api/v1/schedules/" + id + "/disable", "{}");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().path("scope").asText()).isEqualTo("schedules:write");
        assertThat(write.json().path("detail").asText())
            .isEqualTo("this token lacks the scope schedules:write");
        assertThat(reader.delete("/api/v1/schedules/" + id).json().path("scope").asText())
            .isEqualTo("schedules:delete");
        assertThat(reader.get("/api/v1/schedules/" + id + "/runs").json().path("scope").asText())
            .isEqualTo("runs:read");
        assertThat(reader.get("/api/v1/tokens").json().path("scope").asText()).isEqualTo("admin");
        assertThat(reader.get("/api/v1/nodes").status()).isEqualTo(403);
      }
      // the schedule is as it was
      assertThat(node.get("/api/v1/schedules/" + id).json().path("enabled").asBoolean()).isTrue();
    }
  }

  @Test
  void aTokenIsShownOnceStoredAsAHashAndStopsWorkingWhenRevokedOrExpired() {
    SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
    try (ChimeTestNode node = ChimeTestNode.start(TestDatabases.h2(), clock, Map.of())) {
      Response made =
          node.post(
              "/api/v1/tokens",
              "{\"name\":\"ci\",\"scopes\":[\"schedules:read\"],"
                  + "\"expires_at\":\"2026-12-01T11:00:00Z\"}");
      assertThat(made.status()).isEqualTo(201);
      assertThat(made.header("Cache-Control")).isEqualTo("no-store");
      String text = made.json().path("token").asText();
      String id = made.json().path("id").asText();
      assertThat(text).startsWith("chime_").hasSizeGreaterThanOrEqualTo(6 + 43);
      assertThat(made.json().path("prefix").asText()).isEqualTo(text.substring(0, 10));
      JsonNode listed = node.get("/api/v1/tokens/" + id).json();
      assertThat(listed.has("token")).isFalse();
      assertThat(listed.toString()).doesNotContain(text).doesNotContain(Tokens.hash(text));
      assertThat(listed.path("state").asText()).isEqualTo("active");
      try (ChimeTestNode ci = node.as(text)) {
        assertThat(ci.get("/api/v1/schedules").status()).isEqualTo(200);
        JsonNode current = ci.get("/api/v1/tokens/current").json();
        assertThat(current.path("id").asText()).isEqualTo(id);
        assertThat(current.path("scopes").toString()).isEqualTo("[\"schedules:read\"]");
        clock.advance(Duration.ofHours(1));
        assertThat(ci.get("/api/v1/schedules").status()).isEqualTo(401);
        assertThat(node.get("/api/v1/tokens/" + id).json().path("state").asText())
            .isEqualTo("expired");
      }
      String other = Tenants.token(node, "default", "schedules:read");
      try (ChimeTestNode second = node.as(other)) {
        assertThat(second.get("/api/v1/schedules").status()).isEqualTo(200);
        String otherId = second.get("/api/v1/tokens/current").json().path("id").asText();
        assertThat(node.delete("/api/v1/tokens/" + otherId).status()).isEqualTo(204);
        assertThat(second.get("/api/v1/schedules").status()).isEqualTo(401);
        assertThat(node.get("/api/v1/tokens/" + otherId).json().path("state").asText())
            .isEqualTo("revoked");
      }
    }
  }

  @Test
  void aTokenRequestWithBadFieldsNamesEachOne() {
    try (ChimeTestNode node = ChimeTestNode.start()) {
      Response bad =
          node.post(
              "/api/v1/tokens",
              "{\"scopes\":[\"schedules:read\",\"root\"],\"expires_at\":\"2000-01-01T00:00:00Z\","
                  + "\"colour\":1}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.json().path("errors").toString())
          .contains("\"field\":\"name\"")
          .contains("\"field\":\"scopes[1]\"")
          .contains("\"field\":\"expires_at\"")
          .contains("\"field\":\"colour\"");
      Response empty = node.post("/api/v1/tokens", "{\"name\":\"x\",\"scopes\":[]}");
      assertThat(empty.status()).isEqualTo(400);
      assertThat(empty.json().path("field").asText()).isEqualTo("scopes");
    }
  }

  @Test
  void theFirstStartMakesAnAdminTokenReadableByItsOwnerOnlyAndALaterStartKeepsIt(@TempDir Path data)
      throws Exception {
    Map<String, String> settings =
        Map.of("CHIME_DATA_DIR", data.toString(), "CHIME_ADMIN_TOKEN", "");
    String token;
    try (ChimeTestNode first = ChimeTestNode.start(h2File(data), Clock.systemUTC(), settings)) {
      Path file = data.resolve("admin-token");
      assertThat(file).exists();
      assertThat(Files.getPosixFilePermissions(file))
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      token = Files.readString(file).strip();
      try (ChimeTestNode admin = first.as(token)) {
        assertThat(admin.post("/api/v1/schedules", BODY).status()).isEqualTo(201);
        assertThat(admin.get("/api/v1/tokens/current").json().path("scopes").toString())
            .isEqualTo("[\"admin\"]");
      }
    }
    try (ChimeTestNode again = ChimeTestNode.start(h2File(data), Clock.systemUTC(), settings);
        ChimeTestNode admin = again.as(token)) {
      assertThat(Files.readString(data.resolve("admin-token")).strip()).isEqualTo(token);
      assertThat(admin.get("/api/v1/schedules").json().path("items")).hasSize(1);
    }
  }

  private static DatabaseSettings h2File(Path data) {
    return new DatabaseSettings(
        "jdbc:h2:file:" + data.resolve("chime") + ";DB_CLOSE_ON_EXIT=FALSE",
        "sa",
        "",
        4,
        Duration.ofSeconds(10));
  }

  @Test
  void withAuthOffEveryCallerActsAsTheDefaultTenantsAdmin() {
    try (ChimeTestNode node =
            ChimeTestNode.start(
                TestDatabases.h2(), Clock.systemUTC(), Map.of("CHIME_AUTH", "off"));
        ChimeTestNode anonymous = node.as(null)) {
      Response created = anonymous.post("/api/v1/schedules", BODY);
      assertThat(created.status()).isEqualTo(201);
      JsonNode current = anonymous.get("/api/v1/tokens/current").json();
      assertThat(current.path("state").asText()).isEqualTo("auth_off");
      JsonNode event = anonymous.get("/api/v1/audit").json().path("items").get(0);
      assertThat(event.path("actor").path("name").asText()).isEqualTo("anonymous (auth off)");
    }
  }
}
