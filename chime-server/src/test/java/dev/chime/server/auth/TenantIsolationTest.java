package dev.chime.server.auth;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.server.testing.Tenants;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Tenant A's admin token, which may do everything in A, tried on every route of the API against
 * tenant B's objects: each answers as if B's object did not exist (404), or refuses A outright
 * where the route is the operator's, and nothing of B changes. A route added to the API without a
 * line here fails the test.
 */
class TenantIsolationTest {
  private static final String BODY =
      schedule("b-schedule", interval(60), target("http://127.0.0.1:9/hook"));

  /** What A's token on B's objects must get, by route as {@code ApiServer.routes()} lists it. */
  private static Map<String, Integer> expected() {
    Map<String, Integer> routes = new LinkedHashMap<>();
    // B's objects by id
    routes.put("GET /api/v1/schedules/{id}", 404);
    routes.put("PUT /api/v1/schedules/{id}", 404);
    routes.put("PATCH /api/v1/schedules/{id}", 404);
    routes.put("DELETE /api/v1/schedules/{id}", 404);
    routes.put("POST /api/v1/schedules/{id}/enable", 404);
    routes.put("POST /api/v1/schedules/{id}/disable", 404);
    routes.put("POST /api/v1/schedules/{id}/run-now", 404);
    routes.put("GET /api/v1/schedules/{id}/runs", 404);
    routes.put("GET /api/v1/schedules/{id}/stats", 404);
    routes.put("POST /api/v1/schedules/{id}/checkin-token", 404);
    routes.put("GET /api/v1/runs/{id}", 404);
    routes.put("POST /api/v1/runs/{id}/retry", 404);
    routes.put("POST /api/v1/runs/{id}/cancel", 404);
    routes.put("GET /api/v1/tokens/{id}", 404);
    routes.put("DELETE /api/v1/tokens/{id}", 404);
    routes.put("GET /api/v1/tenants/{id}", 404);
    routes.put("GET /api/v1/channels/{id}", 404);
    routes.put("PATCH /api/v1/channels/{id}", 404);
    routes.put("DELETE /api/v1/channels/{id}", 404);
    routes.put("POST /api/v1/channels/{id}/test", 404);
    routes.put("GET /api/v1/alert-rules/{id}", 404);
    routes.put("PATCH /api/v1/alert-rules/{id}", 404);
    routes.put("DELETE /api/v1/alert-rules/{id}", 404);
    routes.put("GET /api/v1/incidents/{id}", 404);
    routes.put("GET /api/v1/schedule-runs/{id}", 404);
    routes.put("POST /api/v1/schedule-runs/{id}/retry", 404);
    routes.put("POST /api/v1/schedule-runs/{id}/complete", 404);
    // the older APIs see only their own schedules, and never another tenant's
    routes.put("POST /plugin-api/timer-scheduler/jobs/{id}/trigger", 404);
    routes.put("PUT /scheduled-tasks/{id}", 404);
    routes.put("DELETE /scheduled-tasks/{id}", 404);
    routes.put("GET /scheduled-tasks/{id}/runs", 404);
    // the operator's routes refuse A whatever the id
    routes.put("PATCH /api/v1/tenants/{id}", 403);
    routes.put("DELETE /api/v1/tenants/{id}", 403);
    routes.put("GET /api/v1/tenants", 403);
    routes.put("POST /api/v1/tenants", 403);
    routes.put("GET /api/v1/nodes", 403);
    routes.put("GET /api/v1/nodes/{id}", 403);
    routes.put("GET /metrics", 403);
    // collections: A sees and makes only its own (checked below)
    routes.put("GET /api/v1/schedules", 200);
    // a bulk action on B's ids finds none of them (checked below)
    routes.put("POST /api/v1/schedules/bulk", 200);
    routes.put("POST /api/v1/schedules", 201);
    routes.put("GET /api/v1/tokens", 200);
    routes.put("POST /api/v1/tokens", 201);
    routes.put("GET /api/v1/tokens/current", 200);
    routes.put("GET /api/v1/audit", 200);
    routes.put("GET /api/v1/channels", 200);
    routes.put("POST /api/v1/channels", 201);
    routes.put("GET /api/v1/alert-rules", 200);
    routes.put("GET /api/v1/incidents", 200);
    // a rule naming B's channel or schedule is refused as if they did not exist
    routes.put("POST /api/v1/alert-rules", 400);
    routes.put("GET /plugin-api/timer-scheduler/jobs", 200);
    routes.put("POST /plugin-api/timer-scheduler/jobs", 201);
    routes.put("GET /plugin-api/timer-scheduler/health", 200);
    routes.put("GET /scheduled-tasks", 200);
    // A has no target for its tasks, whatever B has
    routes.put("POST /scheduled-tasks", 409);
    routes.put("GET /api/v1/compat/scheduled-tasks-target", 200);
    routes.put("PUT /api/v1/compat/scheduled-tasks-target", 200);
    // A's own signing secrets and address policy, never B's (checked below)
    routes.put("GET /api/v1/signing-secrets", 200);
    routes.put("POST /api/v1/signing-secrets/rotate", 201);
    routes.put("GET /api/v1/target-policy", 200);
    routes.put("PUT /api/v1/target-policy", 200);
    // open to anyone; the callback needs the run's own one-time token (404/403 without)
    routes.put("POST /api/v1/runs/{id}/complete", 403);
    routes.put("GET /api/v1/cron/preview", 200);
    // a ping needs its check-in's token, which no other tenant's token is
    routes.put("POST /api/v1/checkins/{token}", 404);
    routes.put("POST /api/v1/checkins/{token}/start", 404);
    routes.put("POST /api/v1/checkins/{token}/fail", 404);
    routes.put("GET /api/v1/openapi.json", 200);
    routes.put("GET /health/live", 200);
    routes.put("GET /health/ready", 200);
    // the web page and its files: the same for everyone, holding no tenant's data
    routes.put("GET /", 200);
    routes.put("GET /schedules/new", 200);
    routes.put("GET /schedules/{id}", 200);
    routes.put("GET /schedules/{id}/edit", 200);
    routes.put("GET /schedules/{id}/runs/{runId}", 200);
    routes.put("GET /audit", 200);
    routes.put("GET /ui/{version}/<file>", 200);
    return routes;
  }

  @Test
  void tenantAsAdminTokenFindsNothingOfTenantBOnAnyRoute() {
    try (ChimeTestNode node = ChimeTestNode.start()) {
      Tenants.create(node, "a");
      Tenants.create(node, "b");
      String aToken = Tenants.token(node, "a", "admin");
      String bToken = Tenants.token(node, "b", "admin");
      try (ChimeTestNode a = node.as(aToken);
          ChimeTestNode b = node.as(bToken)) {
        String bSchedule = b.post("/api/v1/schedules", BODY).json().path("id").asText();
        bScheduleId = bSchedule;
        java.util.regex.Matcher main =
            java.util.regex.Pattern.compile("src=\"(/ui/[0-9a-f]+)/app/main.js\"")
                .matcher(a.send("GET", "/", null, null).raw().body());
        assertThat(main.find()).as("the page names its main module").isTrue();
        assetRoot = main.group(1);
        String bRun =
            b.post("/api/v1/schedules/" + bSchedule + "/run-now", "{}").json().path("id").asText();
        String bTokenId = b.get("/api/v1/tokens/current").json().path("id").asText();
        bChannelId =
            b.post(
                    "/api/v1/channels",
                    "{\"name\":\"b-channel\",\"type\":\"slack\",\"url\":\"http://127.0.0.1:9/b\"}")
                .json()
                .path("id")
                .asText();
        bRuleId =
            b.post(
                    "/api/v1/alert-rules",
                    "{\"kind\":\"failures\",\"schedule_id\":\""
                        + bSchedule
                        + "\",\"channels\":[\""
                        + bChannelId
                        + "\"]}")
                .json()
                .path("id")
                .asText();
        JsonNode scheduleBefore = b.get("/api/v1/schedules/" + bSchedule).json();
        JsonNode tenantBefore = b.get("/api/v1/tenants/b").json();

        assertThat(node.node().api().routes())
            .containsExactlyInAnyOrderElementsOf(expected().keySet());
        for (Map.Entry<String, Integer> route : expected().entrySet()) {
          String[] parts = route.getKey().split(" ", 2);
          String path = concrete(parts[1], bSchedule, bRun, bTokenId);
          Response answer = a.send(parts[0], path, body(parts[0], path), contentType(parts[0]));
          assertThat(answer.status())
              .as("%s as tenant a: %s", route.getKey(), answer.raw().body())
              .isEqualTo(route.getValue());
          assertThat(answer.raw().body()).as(route.getKey()).doesNotContain("b-schedule");
        }

        // nothing of B changed: its schedule, its run, its token, its tenant
        JsonNode scheduleAfter = b.get("/api/v1/schedules/" + bSchedule).json();
        assertThat(scheduleAfter.path("name")).isEqualTo(scheduleBefore.path("name"));
        assertThat(scheduleAfter.path("enabled")).isEqualTo(scheduleBefore.path("enabled"));
        assertThat(scheduleAfter.path("updated_at")).isEqualTo(scheduleBefore.path("updated_at"));
        assertThat(b.get("/api/v1/runs/" + bRun).status()).isEqualTo(200);
        assertThat(b.get("/api/v1/runs/" + bRun).json().path("attempt").asInt()).isEqualTo(1);
        assertThat(b.get("/api/v1/tokens/current").status()).isEqualTo(200);
        assertThat(b.get("/api/v1/tenants/b").json()).isEqualTo(tenantBefore);
        assertThat(b.get("/api/v1/channels/" + bChannelId).status()).isEqualTo(200);
        assertThat(b.get("/api/v1/alert-rules/" + bRuleId).status()).isEqualTo(200);
        assertThat(b.get("/api/v1/channels/" + bChannelId).json().path("name").asText())
            .isEqualTo("b-channel");
        assertThat(b.get("/api/v1/alert-rules/" + bRuleId).json().path("threshold").asInt())
            .isEqualTo(3);
        assertThat(a.get("/api/v1/channels").json().path("items").toString())
            .doesNotContain(bChannelId);
        assertThat(a.get("/api/v1/alert-rules").json().path("items").toString())
            .doesNotContain(bRuleId);

        // A's collections hold only A's objects
        assertThat(a.get("/api/v1/schedules").json().path("items").toString())
            .doesNotContain(bSchedule);
        assertThat(b.get("/api/v1/schedules").json().path("items")).hasSize(1);
        assertThat(a.get("/api/v1/tokens").json().path("items").toString())
            .doesNotContain(bTokenId);
        assertThat(a.get("/api/v1/audit").json().path("items").toString())
            .doesNotContain(bSchedule)
            .doesNotContain(bRun);
        Response bulk =
            a.post(
                "/api/v1/schedules/bulk",
                "{\"action\":\"delete\",\"ids\":[\"" + bSchedule + "\"]}");
        assertThat(bulk.json().path("results").get(0).path("result").asText())
            .isEqualTo("not_found");
        assertThat(b.get("/api/v1/schedules/" + bSchedule).status()).isEqualTo(200);
        // B's allow-list is B's alone
        assertThat(b.get("/api/v1/target-policy").json().path("allow")).isEmpty();
        // naming tenant b is answered as if there were none
        assertThat(a.get("/api/v1/audit?tenant=b").status()).isEqualTo(404);
        assertThat(a.get("/api/v1/tokens?tenant=b").status()).isEqualTo(404);
        assertThat(
                a.post(
                        "/api/v1/tokens",
                        "{\"name\":\"x\",\"scopes\":[\"admin\"],\"tenant_id\":\"b\"}")
                    .status())
            .isEqualTo(400);
        assertThat(a.get("/api/v1/tenants/does-not-exist").status()).isEqualTo(404);
      }
    }
  }

  private static String concrete(String route, String schedule, String run, String token) {
    if (route.startsWith("/schedules/{id}")) {
      return route.replace("{id}", schedule).replace("{runId}", run);
    }
    if (route.startsWith("/ui/{version}/")) {
      return assetRoot + "/app/main.js";
    }
    if (route.startsWith("/api/v1/schedules/{id}")) {
      return route.replace("{id}", schedule);
    }
    if (route.startsWith("/plugin-api/timer-scheduler/jobs/{id}")
        || route.startsWith("/scheduled-tasks/{id}")) {
      return route.replace("{id}", schedule);
    }
    if (route.startsWith("/api/v1/runs/{id}") || route.startsWith("/api/v1/schedule-runs/{id}")) {
      return route.replace("{id}", run);
    }
    if (route.startsWith("/api/v1/tokens/{id}")) {
      return route.replace("{id}", token);
    }
    if (route.startsWith("/api/v1/channels/{id}")) {
      return route.replace("{id}", bChannelId);
    }
    if (route.startsWith("/api/v1/alert-rules/{id}")) {
      return route.replace("{id}", bRuleId);
    }
    if (route.startsWith("/api/v1/incidents/{id}")) {
      return route.replace("{id}", bIncidentId);
    }
    if (route.startsWith("/api/v1/tenants/{id}") || route.startsWith("/api/v1/nodes/{id}")) {
      return route.replace("{id}", "b");
    }
    if (route.startsWith("/api/v1/checkins/{token}")) {
      return route.replace("{token}", "ck_" + token);
    }
    if (route.equals("/api/v1/cron/preview")) {
      return route + "?expr=0%209%20*%20*%20*";
    }
    return route;
  }

  private static String bScheduleId = "";
  private static String bChannelId = "";
  private static String bRuleId = "";
  private static String bIncidentId = UUID.randomUUID().toString();
  private static String assetRoot = "";

  private static String body(String method, String path) {
    if (method.equals("GET") || method.equals("DELETE")) {
      return null;
    }
    if (path.equals("/api/v1/schedules")) {
      return schedule("a-schedule", interval(60), target("http://127.0.0.1:9/hook"));
    }
    if (path.equals("/api/v1/schedules/bulk")) {
      return "{\"action\":\"disable\",\"ids\":[\"" + bScheduleId + "\"]}";
    }
    if (path.equals("/api/v1/channels")) {
      return "{\"name\":\"a-channel\",\"type\":\"slack\",\"url\":\"http://127.0.0.1:9/a\"}";
    }
    if (path.equals("/api/v1/alert-rules")) {
      return "{\"kind\":\"failures\",\"schedule_id\":\""
          + bScheduleId
          + "\",\"channels\":[\""
          + bChannelId
          + "\"]}";
    }
    if (path.equals("/plugin-api/timer-scheduler/jobs")) {
      return "{\"name\":\"a-job\",\"target_url\":\"http://127.0.0.1:9/a\",\"interval_secs\":60}";
    }
    if (path.startsWith("/scheduled-tasks")) {
      return "{\"schedule_type\":\"interval\",\"schedule_expr\":\"60\"}";
    }
    if (path.equals("/api/v1/compat/scheduled-tasks-target")) {
      return "{\"target\":{\"url\":\"http://127.0.0.1:9/a-executor\"}}";
    }
    if (path.equals("/api/v1/target-policy")) {
      return "{\"allow\":[\"a.example.com\"]}";
    }
    if (path.equals("/api/v1/tokens")) {
      return "{\"name\":\"a-token\",\"scopes\":[\"schedules:read\"]}";
    }
    if (path.startsWith("/api/v1/channels/") && method.equals("PATCH")) {
      return "{\"name\":\"renamed-channel\"}";
    }
    if (path.startsWith("/api/v1/alert-rules/") && method.equals("PATCH")) {
      return "{\"threshold\":9}";
    }
    if (path.startsWith("/api/v1/schedules/") && (method.equals("PUT") || method.equals("PATCH"))) {
      return method.equals("PUT")
          ? schedule("renamed", interval(60), target("http://127.0.0.1:9/hook"))
          : "{\"name\":\"renamed\"}";
    }
    if (path.endsWith("/complete")) {
      return "{\"status\":\"success\"}";
    }
    return "{}";
  }

  private static String contentType(String method) {
    return method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
  }
}
