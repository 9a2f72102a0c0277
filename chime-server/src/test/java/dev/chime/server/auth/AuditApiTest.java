package dev.chime.server.auth;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.Tenants;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import dev.chime.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every change through the API leaves one audit event, written with the change: who (token id and
 * name), what, when, before and after; read newest first, filtered and paged.
 */
class AuditApiTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource(TestDatabases.EVERY)
  void everyChangeIsOnTheTrailWithItsActorAndBeforeAndAfter(
      String name, Supplier<DatabaseSettings> databases) {
    try (TargetServer target = new TargetServer();
        ChimeTestNode node = ChimeTestNode.start(databases.get(), Clock.systemUTC(), Map.of())) {
      // the target accepts each call for later (202): its run stays running until cancelled
      target.answerAlways(Answer.status(202));
      Tenants.create(node, "team");
      String writerText = Tenants.token(node, "team", Tenants.ALL_BUT_ADMIN);
      try (ChimeTestNode writer = node.as(writerText);
          ChimeTestNode admin = node.as(Tenants.token(node, "team", "admin"))) {
        JsonNode token = writer.get("/api/v1/tokens/current").json();
        String id =
            writer
                .post(
                    "/api/v1/schedules",
                    schedule("audited", interval(60), target(target.url("/h").toString())))
                .json()
                .path("id")
                .asText();
        writer.patch("/api/v1/schedules/" + id, "{\"description\":\"changed\"}");
        writer.post("/api/v1/schedules/" + id + "/disable", "{}");
        String run =
            writer.post("/api/v1/schedules/" + id + "/run-now", "{}").json().path("id").asText();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> writer.get("/api/v1/runs/" + run).json().path("http_status").asInt() == 202);
        var cancel = writer.post("/api/v1/runs/" + run + "/cancel", "{}");
        assertThat(cancel.status()).as(cancel.raw().body()).isEqualTo(200);
        writer.post("/api/v1/runs/" + run + "/retry", "{}");
        assertThat(writer.delete("/api/v1/schedules/" + id).status()).isEqualTo(204);

        JsonNode events = admin.get("/api/v1/audit?object_id=" + id).json().path("items");
        List<String> actions = new ArrayList<>();
        events.forEach(event -> actions.add(event.path("action").asText()));
        assertThat(actions)
            .containsExactly(
                "schedule.delete",
                "schedule.run-now",
                "schedule.disable",
                "schedule.update",
                "schedule.create");
        for (JsonNode event : events) {
          assertThat(event.path("tenant_id").asText()).isEqualTo("team");
          assertThat(event.path("actor").path("token_id").asText())
              .isEqualTo(token.path("id").asText());
          assertThat(event.path("actor").path("name").asText())
              .isEqualTo(token.path("name").asText());
          assertThat(event.path("object").path("id").asText()).isEqualTo(id);
        }
        JsonNode update = events.get(3);
        assertThat(update.path("before").path("description").asText()).isEqualTo("test");
        assertThat(update.path("after").path("description").asText()).isEqualTo("changed");
        assertThat(events.get(0).path("after").isNull()).isTrue();
        assertThat(events.get(4).path("before").isNull()).isTrue();
        assertThat(events.get(4).path("after").path("name").asText()).isEqualTo("audited");

        JsonNode runEvents = admin.get("/api/v1/audit?object_id=" + run).json().path("items");
        assertThat(runEvents)
            .as(runEvents.toString() + " cancel: " + cancel.raw().body())
            .hasSize(2);
        assertThat(runEvents.get(1).path("before").path("status").asText())
            .as(runEvents.toString())
            .isEqualTo("running");
        assertThat(runEvents.get(0).path("action").asText()).isEqualTo("run.retry");
        assertThat(runEvents.get(0).path("after").path("attempt").asInt()).isEqualTo(2);
        assertThat(runEvents.get(1).path("action").asText()).isEqualTo("run.cancel");
        assertThat(runEvents.get(1).path("before").path("status").asText()).isEqualTo("running");
        assertThat(runEvents.get(1).path("after").path("status").asText()).isEqualTo("cancelled");

        // filters and paging
        assertThat(admin.get("/api/v1/audit?action=schedule.disable").json().path("items"))
            .hasSize(1);
        JsonNode tokenCreates = admin.get("/api/v1/audit?action=token.create").json().path("items");
        assertThat(tokenCreates).hasSize(2);
        assertThat(tokenCreates.toString()).doesNotContain(writerText);
        assertThat(
                admin.get("/api/v1/audit?actor=" + token.path("id").asText()).json().path("items"))
            .hasSize(7);
        String last = events.get(0).path("at").asText();
        assertThat(
                admin.get("/api/v1/audit?since=" + last + "&object_id=" + id).json().path("items"))
            .hasSize(1);
        List<String> paged = new ArrayList<>();
        String cursor = "";
        do {
          JsonNode page = admin.get("/api/v1/audit?limit=2" + cursor).json();
          page.path("items").forEach(event -> paged.add(event.path("id").asText()));
          cursor =
              page.path("next_cursor").isNull()
                  ? null
                  : "&cursor=" + page.path("next_cursor").asText();
        } while (cursor != null);
        List<String> whole = new ArrayList<>();
        admin
            .get("/api/v1/audit?limit=500")
            .json()
            .path("items")
            .forEach(e -> whole.add(e.path("id").asText()));
        assertThat(paged).containsExactlyElementsOf(whole).doesNotHaveDuplicates();

        // the operator's changes to the tenant are on the tenant's trail
        node.patch("/api/v1/tenants/team", "{\"quotas\":{\"max_running\":7}}");
        JsonNode tenantEvent =
            admin.get("/api/v1/audit?action=tenant.update").json().path("items").get(0);
        assertThat(tenantEvent.path("before").path("own_quotas").path("max_running").isNull())
            .isTrue();
        assertThat(tenantEvent.path("after").path("own_quotas").path("max_running").asInt())
            .isEqualTo(7);
        assertThat(tenantEvent.path("actor").path("name").asText()).startsWith("admin");
      }
    }
  }
}
