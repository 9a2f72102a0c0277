package dev.chime.server.api;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.target;
import static dev.chime.server.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.server.testing.Tenants;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TestDatabases;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Labels on schedules, the list's filters (label selector, text, state, last result) and bulk
 * actions by ids or by selector, on every database.
 */
class LabelsAndBulkApiTest {
  private static final String HOOK = "http://127.0.0.1:9/hook";

  private static String labelled(String name, String labels) {
    return "{\"name\":\""
        + name
        + "\",\"description\":\"about "
        + name
        + "\",\"labels\":"
        + labels
        + ",\"trigger\":"
        + interval(3600)
        + ",\"target\":"
        + target(HOOK)
        + "}";
  }

  private static List<String> names(Response list) {
    List<String> names = new ArrayList<>();
    list.json().path("items").forEach(item -> names.add(item.path("name").asText()));
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestDatabases.EVERY)
  void labelsAreKeptMergedAndSelected(String db, Supplier<DatabaseSettings> databases) {
    try (ChimeTestNode node = ChimeTestNode.start(databases.get(), Clock.systemUTC(), Map.of())) {
      Response billing =
          node.post(
              "/api/v1/schedules",
              labelled("billing-prod", "{\"team\":\"billing\",\"env\":\"prod\"}"));
      assertThat(billing.status()).as(billing.raw().body()).isEqualTo(201);
      assertThat(billing.json().path("labels").toString())
          .isEqualTo("{\"env\":\"prod\",\"team\":\"billing\"}");
      node.post(
          "/api/v1/schedules", labelled("billing-dev", "{\"team\":\"billing\",\"env\":\"dev\"}"));
      node.post(
          "/api/v1/schedules",
          labelled("search-prod", "{\"team\":\"search\",\"env\":\"prod\",\"tier\":\"1\"}"));
      node.post("/api/v1/schedules", labelled("plain", "{}"));

      assertThat(names(node.get("/api/v1/schedules?label=team=billing")))
          .containsExactly("billing-prod", "billing-dev");
      assertThat(names(node.get("/api/v1/schedules?label=team=billing,env!=dev")))
          .containsExactly("billing-prod");
      assertThat(names(node.get("/api/v1/schedules?label=env!=dev")))
          .containsExactly("billing-prod", "search-prod", "plain");
      assertThat(names(node.get("/api/v1/schedules?label=tier"))).containsExactly("search-prod");
      assertThat(names(node.get("/api/v1/schedules?label=!env"))).containsExactly("plain");
      assertThat(names(node.get("/api/v1/schedules?q=ABOUT%20SEARCH")))
          .containsExactly("search-prod");
      assertThat(names(node.get("/api/v1/schedules?last_status=none&label=env=prod")))
          .containsExactly("billing-prod", "search-prod");
      assertThat(names(node.get("/api/v1/schedules?last_status=failed"))).isEmpty();
      assertProblem(
          node.get("/api/v1/schedules?label=team==,=x"), 400, "label", "is not name=value");
      assertProblem(
          node.get("/api/v1/schedules?last_status=sleeping"), 400, "last_status", "must be none");

      // a merge patch adds, changes and removes single labels; the selector follows at once
      String id = billing.json().path("id").asText();
      Response patched =
          node.patch("/api/v1/schedules/" + id, "{\"labels\":{\"env\":null,\"owner\":\"ana\"}}");
      assertThat(patched.status()).as(patched.raw().body()).isEqualTo(200);
      assertThat(patched.json().path("labels").toString())
          .isEqualTo("{\"owner\":\"ana\",\"team\":\"billing\"}");
      assertThat(names(node.get("/api/v1/schedules?label=owner=ana")))
          .containsExactly("billing-prod");
      assertThat(names(node.get("/api/v1/schedules?label=env=prod")))
          .containsExactly("search-prod");

      StringBuilder many = new StringBuilder("{");
      for (int i = 0; i < 21; i++) {
        many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
      }
      assertProblem(
          node.post("/api/v1/schedules", labelled("many", many + "}")),
          400,
          "labels",
          "the limit is 20");
      assertProblem(
          node.post("/api/v1/schedules", labelled("bad", "{\"Team Name\":\"x\"}")),
          400,
          "labels.Team Name",
          "is not a label name");
      assertProblem(
          node.post("/api/v1/schedules", labelled("bad", "{\"team\":7}")),
          400,
          "labels.team",
          "must be a string");
      assertProblem(
          node.post("/api/v1/schedules", labelled("bad", "{\"team\":\"a b\"}")),
          400,
          "labels.team",
          "is not a label value");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestDatabases.EVERY)
  void aBulkActionAnswersPerScheduleAndIsAudited(String db, Supplier<DatabaseSettings> databases) {
    try (ChimeTestNode node = ChimeTestNode.start(databases.get(), Clock.systemUTC(), Map.of())) {
      String one =
          node.post("/api/v1/schedules", labelled("one", "{\"batch\":\"a\"}"))
              .json()
              .path("id")
              .asText();
      String two =
          node.post("/api/v1/schedules", labelled("two", "{\"batch\":\"a\"}"))
              .json()
              .path("id")
              .asText();
      String three =
          node.post("/api/v1/schedules", labelled("three", "{\"batch\":\"b\"}"))
              .json()
              .path("id")
              .asText();
      String missing = UUID.randomUUID().toString();

      Response disabled =
          node.post(
              "/api/v1/schedules/bulk",
              "{\"action\":\"disable\",\"ids\":[\""
                  + two
                  + "\",\""
                  + one
                  + "\",\""
                  + missing
                  + "\"]}");
      assertThat(disabled.status()).as(disabled.raw().body()).isEqualTo(200);
      JsonNode results = disabled.json().path("results");
      assertThat(results.get(0).path("id").asText()).isEqualTo(two);
      assertThat(results.get(0).path("result").asText()).isEqualTo("done");
      assertThat(results.get(1).path("result").asText()).isEqualTo("done");
      assertThat(results.get(2).path("result").asText()).isEqualTo("not_found");
      assertThat(disabled.json().path("counts").path("done").asInt()).isEqualTo(2);
      assertThat(names(node.get("/api/v1/schedules?enabled=false"))).containsExactly("one", "two");

      // again: nothing to change, nothing written
      Response again =
          node.post("/api/v1/schedules/bulk", "{\"action\":\"disable\",\"ids\":[\"" + one + "\"]}");
      assertThat(again.json().path("results").get(0).path("result").asText())
          .isEqualTo("unchanged");
      assertThat(
              node.get("/api/v1/audit?object_id=" + one + "&action=schedule.disable")
                  .json()
                  .path("items"))
          .hasSize(1);

      // by selector: run the batch b now, then enable batch a
      Response run =
          node.post(
              "/api/v1/schedules/bulk",
              "{\"action\":\"run-now\",\"selector\":{\"label\":\"batch=b\"}}");
      assertThat(run.json().path("results")).hasSize(1);
      assertThat(run.json().path("results").get(0).path("id").asText()).isEqualTo(three);
      assertThat(node.get("/api/v1/schedules/" + three + "/runs").json().path("items")).hasSize(1);
      Response enabled =
          node.post(
              "/api/v1/schedules/bulk",
              "{\"action\":\"enable\",\"selector\":{\"label\":\"batch=a\",\"enabled\":false}}");
      assertThat(enabled.json().path("counts").path("done").asInt()).isEqualTo(2);

      // the scope is the action's
      try (ChimeTestNode writer = node.as(Tenants.token(node, "default", "schedules:write"))) {
        Response refused =
            writer.post(
                "/api/v1/schedules/bulk", "{\"action\":\"delete\",\"ids\":[\"" + one + "\"]}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("scope").asText()).isEqualTo("schedules:delete");
      }
      Response deleted =
          node.post(
              "/api/v1/schedules/bulk",
              "{\"action\":\"delete\",\"ids\":[\""
                  + one
                  + "\",\""
                  + two
                  + "\",\""
                  + three
                  + "\"]}");
      assertThat(deleted.json().path("counts").path("done").asInt()).isEqualTo(3);
      assertThat(node.get("/api/v1/schedules").json().path("items")).isEmpty();
      assertThat(node.get("/api/v1/audit?action=schedule.delete").json().path("items")).hasSize(3);

      assertProblem(
          node.post("/api/v1/schedules/bulk", "{\"action\":\"explode\",\"ids\":[\"" + one + "\"]}"),
          400,
          "action",
          "must be enable");
      assertProblem(
          node.post("/api/v1/schedules/bulk", "{\"action\":\"delete\"}"), 400, "ids", "either ids");
      assertProblem(
          node.post("/api/v1/schedules/bulk", "{\"action\":\"delete\",\"ids\":[\"nope\"]}"),
          400,
          "ids[0]",
          "is not a schedule id");
    }
  }
}
