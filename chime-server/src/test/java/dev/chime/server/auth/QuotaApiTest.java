package dev.chime.server.auth;

import static dev.chime.server.testing.Json.cron;
import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.server.testing.Tenants;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import dev.chime.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A tenant's limits: the node's defaults ({@code quota.*}), a tenant's own values set by an
 * operator, and the 422 that names the limit and its value when a change would pass one.
 */
class QuotaApiTest {
  private static final String HOOK = "http://127.0.0.1:9/hook";

  @Test
  void aTenantsOwnLimitsReplaceTheDefaultsAndEachRefusalNamesItsLimit() {
    try (ChimeTestNode node =
        ChimeTestNode.start(
            TestDatabases.h2(),
            Clock.systemUTC(),
            Map.of("CHIME_QUOTA_MAX_ENABLED_SCHEDULES", "5", "CHIME_QUOTA_MIN_INTERVAL_S", "10"))) {
      Tenants.create(node, "small", "{\"max_enabled_schedules\":2,\"max_payload_bytes\":100}");
      JsonNode tenant = node.get("/api/v1/tenants/small").json();
      assertThat(tenant.path("quotas").path("max_enabled_schedules").asInt()).isEqualTo(2);
      assertThat(tenant.path("quotas").path("min_interval_s").asInt()).isEqualTo(10);
      assertThat(tenant.path("own_quotas").path("min_interval_s").isNull()).isTrue();
      try (ChimeTestNode small = node.as(Tenants.token(node, "small", Tenants.ALL_BUT_ADMIN))) {
        assertThat(small.post("/api/v1/schedules", body("one", 60)).status()).isEqualTo(201);
        assertThat(small.post("/api/v1/schedules", body("two", 60)).status()).isEqualTo(201);
        Response third = small.post("/api/v1/schedules", body("three", 60));
        assertQuota(third, "enabled", "max_enabled_schedules", 2);
        // a disabled schedule does not count, and switching it on is refused the same way
        Response off =
            small.post(
                "/api/v1/schedules",
                body("three", 60).replace("{\"name\"", "{\"enabled\":false,\"name\""));
        assertThat(off.status()).as(off.raw().body()).isEqualTo(201);
        String offId = off.json().path("id").asText();
        assertQuota(
            small.post("/api/v1/schedules/" + offId + "/enable", "{}"),
            "enabled",
            "max_enabled_schedules",
            2);
        assertQuota(
            small.patch("/api/v1/schedules/" + offId, "{\"enabled\":true}"),
            "enabled",
            "max_enabled_schedules",
            2);
        assertThat(small.get("/api/v1/schedules?enabled=true").json().path("items")).hasSize(2);

        assertQuota(
            small.post("/api/v1/schedules", body("fast", 5)),
            "trigger.seconds",
            "min_interval_s",
            10);
        assertQuota(
            small.post(
                "/api/v1/schedules",
                schedule("every-second", cron("* * * * * *", "UTC"), target(HOOK))),
            "trigger.expr",
            "min_interval_s",
            10);
        assertQuota(
            small.post(
                "/api/v1/schedules",
                schedule(
                    "big", interval(60), target(HOOK), "{\"text\":\"" + "x".repeat(200) + "\"}")),
            "payload",
            "max_payload_bytes",
            100);

        // the operator raises the limit: the next enable passes, at once
        Response raised =
            node.patch("/api/v1/tenants/small", "{\"quotas\":{\"max_enabled_schedules\":3}}");
        assertThat(raised.status()).as(raised.raw().body()).isEqualTo(200);
        assertThat(small.post("/api/v1/schedules/" + offId + "/enable", "{}").status())
            .isEqualTo(200);
        // null returns a limit to the node's default (5)
        node.patch("/api/v1/tenants/small", "{\"quotas\":{\"max_enabled_schedules\":null}}");
        assertThat(
                node.get("/api/v1/tenants/small")
                    .json()
                    .path("quotas")
                    .path("max_enabled_schedules")
                    .asInt())
            .isEqualTo(5);
      }
      // a tenant's admin reads its limits but may not change them
      try (ChimeTestNode smallAdmin = node.as(Tenants.token(node, "small", "admin"))) {
        assertThat(smallAdmin.get("/api/v1/tenants/small").status()).isEqualTo(200);
        Response patch =
            smallAdmin.patch(
                "/api/v1/tenants/small", "{\"quotas\":{\"max_enabled_schedules\":1000}}");
        assertThat(patch.status()).isEqualTo(403);
      }
      Response bad =
          node.patch("/api/v1/tenants/small", "{\"quotas\":{\"max_running\":0,\"speed\":1}}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.json().path("errors").toString())
          .contains("quotas.max_running")
          .contains("quotas.speed");
    }
  }

  @Test
  void aTenantNeverHasMoreRunsInFlightThanItsLimit() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (TargetServer target = new TargetServer();
        ChimeTestNode node = ChimeTestNode.start()) {
      // a slow target that counts the calls it is answering at once
      target.answer(
          received -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
            inFlight.decrementAndGet();
            return Answer.ok();
          });
      Tenants.create(node, "narrow", "{\"max_running\":2}");
      try (ChimeTestNode narrow = node.as(Tenants.token(node, "narrow", Tenants.ALL_BUT_ADMIN))) {
        String[] ids = new String[6];
        for (int i = 0; i < ids.length; i++) {
          ids[i] =
              narrow
                  .post(
                      "/api/v1/schedules",
                      schedule("s" + i, interval(3600), target(target.url("/hook").toString())))
                  .json()
                  .path("id")
                  .asText();
        }
        for (String id : ids) {
          assertThat(narrow.post("/api/v1/schedules/" + id + "/run-now", "{}").status())
              .isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> target.received().size() == ids.length);
        assertThat(most.get()).isEqualTo(2);
      }
    }
  }

  private static String body(String name, long seconds) {
    return schedule(name, interval(seconds), target(HOOK));
  }

  private static void assertQuota(Response response, String field, String limit, long value) {
    assertThat(response.status()).as(response.raw().body()).isEqualTo(422);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.path("type").asText()).isEqualTo("urn:chime:problem:quota-exceeded");
    assertThat(problem.path("field").asText()).isEqualTo(field);
    assertThat(problem.path("limit").asText()).isEqualTo(limit);
    assertThat(problem.path("value").asLong()).isEqualTo(value);
    assertThat(problem.path("detail").asText()).contains(limit);
  }
}
