package dev.chime.server.auth;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.server.testing.Tenants;
import dev.chime.tenant.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every route and the scope it needs: a token with every other scope is refused with 403 naming it,
 * a token with only that scope is let through. A route added without a line here fails.
 */
class ScopeTest {
  /** The scope of each route; "" for routes anyone may call, "operator" for the default admin. */
  private static Map<String, String> scopes() {
    Map<String, String> routes = new LinkedHashMap<>();
    routes.put("POST /api/v1/schedules", "schedules:write");
    routes.put("GET /api/v1/schedules", "schedules:read");
    routes.put("POST /api/v1/schedules/bulk", "");
    routes.put("GET /api/v1/schedules/{id}", "schedules:read");
    routes.put("PUT /api/v1/schedules/{id}", "schedules:write");
    routes.put("PATCH /api/v1/schedules/{id}", "schedules:write");
    routes.put("DELETE /api/v1/schedules/{id}", "schedules:delete");
    routes.put("POST /api/v1/schedules/{id}/enable", "schedules:write");
    routes.put("POST /api/v1/schedules/{id}/disable", "schedules:write");
    routes.put("POST /api/v1/schedules/{id}/run-now", "schedules:run");
    routes.put("GET /api/v1/schedules/{id}/runs", "runs:read");
    routes.put("GET /api/v1/schedules/{id}/stats", "runs:read");
    routes.put("GET /api/v1/runs/{id}", "runs:read");
    routes.put("POST /api/v1/runs/{id}/retry", "schedules:run");
    routes.put("POST /api/v1/runs/{id}/cancel", "schedules:run");
    routes.put("POST /api/v1/runs/{id}/complete", "");
    routes.put("GET /api/v1/cron/preview", "");
    routes.put("GET /api/v1/tokens", "admin");
    routes.put("POST /api/v1/tokens", "admin");
    routes.put("GET /api/v1/tokens/current", "");
    routes.put("GET /api/v1/tokens/{id}", "admin");
    routes.put("DELETE /api/v1/tokens/{id}", "admin");
    routes.put("GET /api/v1/tenants", "operator");
    routes.put("POST /api/v1/tenants", "operator");
    routes.put("GET /api/v1/tenants/{id}", "admin");
    routes.put("PATCH /api/v1/tenants/{id}", "operator");
    routes.put("DELETE /api/v1/tenants/{id}", "operator");
    routes.put("GET /api/v1/audit", "admin");
    routes.put("GET /api/v1/signing-secrets", "admin");
    routes.put("POST /api/v1/signing-secrets/rotate", "admin");
    routes.put("GET /api/v1/target-policy", "schedules:read");
    routes.put("PUT /api/v1/target-policy", "admin");
    routes.put("POST /api/v1/channels", "admin");
    routes.put("GET /api/v1/channels", "admin");
    routes.put("GET /api/v1/channels/{id}", "admin");
    routes.put("PATCH /api/v1/channels/{id}", "admin");
    routes.put("DELETE /api/v1/channels/{id}", "admin");
    routes.put("POST /api/v1/channels/{id}/test", "admin");
    routes.put("POST /api/v1/alert-rules", "admin");
    routes.put("GET /api/v1/alert-rules", "admin");
    routes.put("GET /api/v1/alert-rules/{id}", "admin");
    routes.put("PATCH /api/v1/alert-rules/{id}", "admin");
    routes.put("DELETE /api/v1/alert-rules/{id}", "admin");
    routes.put("GET /api/v1/incidents", "admin");
    routes.put("GET /api/v1/incidents/{id}", "admin");
    routes.put("POST /api/v1/schedules/{id}/checkin-token", "schedules:write");
    routes.put("POST /api/v1/checkins/{token}", "");
    routes.put("POST /api/v1/checkins/{token}/start", "");
    routes.put("POST /api/v1/checkins/{token}/fail", "");
    routes.put("GET /api/v1/nodes", "operator");
    routes.put("GET /api/v1/nodes/{id}", "operator");
    routes.put("GET /api/v1/schedule-runs/{id}", "runs:read");
    routes.put("POST /api/v1/schedule-runs/{id}/retry", "schedules:run");
    routes.put("POST /api/v1/schedule-runs/{id}/complete", "schedules:run");
    routes.put("GET /api/v1/compat/scheduled-tasks-target", "admin");
    routes.put("PUT /api/v1/compat/scheduled-tasks-target", "admin");
    routes.put("GET /plugin-api/timer-scheduler/health", "");
    routes.put("GET /plugin-api/timer-scheduler/jobs", "schedules:read");
    routes.put("POST /plugin-api/timer-scheduler/jobs", "schedules:write");
    routes.put("POST /plugin-api/timer-scheduler/jobs/{id}/trigger", "schedules:run");
    routes.put("GET /scheduled-tasks", "schedules:read");
    routes.put("POST /scheduled-tasks", "schedules:write");
    routes.put("PUT /scheduled-tasks/{id}", "schedules:write");
    routes.put("DELETE /scheduled-tasks/{id}", "schedules:delete");
    routes.put("GET /scheduled-tasks/{id}/runs", "runs:read");
    routes.put("GET /metrics", "metrics:read");
    routes.put("GET /api/v1/openapi.json", "");
    routes.put("GET /health/live", "");
    routes.put("GET /health/ready", "");
    // the web page and its files: the same for everyone; the page calls the API with a token
    routes.put("GET /", "");
    routes.put("GET /schedules/new", "");
    routes.put("GET /schedules/{id}", "");
    routes.put("GET /schedules/{id}/edit", "");
    routes.put("GET /schedules/{id}/runs/{runId}", "");
    routes.put("GET /audit", "");
    routes.put("GET /ui/{version}/<file>", "");
    return routes;
  }

  @Test
  void eachRouteNeedsItsScopeAndNoOther() {
    try (ChimeTestNode node = ChimeTestNode.start()) {
      assertThat(node.node().api().routes()).containsExactlyInAnyOrderElementsOf(scopes().keySet());
      String id =
          node.post(
                  "/api/v1/schedules", schedule("s", interval(60), target("http://127.0.0.1:9/h")))
              .json()
              .path("id")
              .asText();
      for (Map.Entry<String, String> route : scopes().entrySet()) {
        String scope = route.getValue();
        if (scope.isEmpty() || scope.equals("operator")) {
          continue;
        }
        String[] parts = route.getKey().split(" ", 2);
        String path =
            parts[1].replace(
                "{id}",
                parts[1].startsWith("/api/v1/schedules") ? id : UUID.randomUUID().toString());
        String body = parts[0].equals("GET") || parts[0].equals("DELETE") ? null : "{}";
        String type =
            parts[0].equals("PATCH") ? "application/merge-patch+json" : "application/json";
        List<String> others = new ArrayList<>();
        for (Scope each : Scope.values()) {
          if (each != Scope.ADMIN && !each.wireName().equals(scope)) {
            others.add(each.wireName());
          }
        }
        try (ChimeTestNode without =
            node.as(Tenants.token(node, "default", others.toArray(String[]::new)))) {
          Response refused = without.send(parts[0], path, body, type);
          assertThat(refused.status()).as(route.getKey() + " without " + scope).isEqualTo(403);
          assertThat(refused.json().path("scope").asText()).as(route.getKey()).isEqualTo(scope);
        }
        try (ChimeTestNode with = node.as(Tenants.token(node, "default", scope))) {
          Response allowed = with.send(parts[0], path, body, type);
          assertThat(allowed.status()).as(route.getKey() + " with " + scope).isNotIn(401, 403);
        }
      }
    }
  }
}
