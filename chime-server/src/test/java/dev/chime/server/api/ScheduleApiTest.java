package dev.chime.server.api;

import static dev.chime.server.testing.Json.cron;
import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The schedules API through real HTTP: what a user sees for each call. */
class ScheduleApiTest {
  private static final String HOOK = "http://127.0.0.1:9/hook";
  private static ChimeTestNode chime;

  @BeforeAll
  static void start() {
    chime = ChimeTestNode.start();
  }

  @AfterAll
  static void stop() {
    chime.close();
  }

  @Test
  void createReturnsTheScheduleWithItsNextFireAndALocation() {
    Response created =
        chime.post(
            "/api/v1/schedules",
            schedule("weekday-report", cron("0 9 * * 1-5", "Asia/Shanghai"), target(HOOK)));

    assertThat(created.status()).isEqualTo(201);
    JsonNode body = created.json();
    String id = body.get("id").asText();
    assertThat(created.header("Location")).isEqualTo("/api/v1/schedules/" + id);
    assertThat(body.get("name").asText()).isEqualTo("weekday-report");
    assertThat(body.get("enabled").asBoolean()).isTrue();
    assertThat(body.get("trigger").toString())
        .isEqualTo("{\"type\":\"cron\",\"expr\":\"0 9 * * 1-5\",\"timezone\":\"Asia/Shanghai\"}");
    assertThat(body.get("target").get("method").asText()).isEqualTo("POST");
    assertThat(body.get("target").get("timeout_ms").asLong()).isEqualTo(5000);
    assertThat(body.get("payload").toString()).isEqualTo("{\"report\":\"daily\"}");
    Instant next = Instant.parse(body.get("next_fire_at").asText());
    // 09:00 in Shanghai is 01:00 UTC
    assertThat(next.toString()).endsWith("T01:00:00Z");
    assertThat(body.get("last_fire_at").isNull()).isTrue();

    Response read = chime.get("/api/v1/schedules/" + id);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json()).isEqualTo(body);
  }

  @Test
  void targetDefaultsAreFilledIn() {
    Response created =
        chime.post(
            "/api/v1/schedules",
            "{\"name\":\"defaults\",\"trigger\":"
                + interval(60)
                + ",\"target\":{\"url\":\"https://example.com/x\"}}");

    assertThat(created.status()).isEqualTo(201);
    JsonNode target = created.json().get("target");
    assertThat(target.get("type").asText()).isEqualTo("http");
    assertThat(target.get("method").asText()).isEqualTo("POST");
    assertThat(target.get("timeout_ms").asLong()).isEqualTo(30000);
    assertThat(created.json().get("payload").isNull()).isTrue();
  }

  @Test
  void listFiltersByEnabledAndNameAndPages() {
    String tag = "lst" + UUID.randomUUID().toString().substring(0, 6);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String body =
          "{\"name\":\""
              + tag
              + "-"
              + i
              + "\",\"enabled\":"
              + (i != 2)
              + ",\"trigger\":"
              + interval(60)
              + ",\"target\":"
              + target(HOOK)
              + "}";
      ids.add(chime.post("/api/v1/schedules", body).json().get("id").asText());
    }

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Response page =
          chime.get(
              "/api/v1/schedules?limit=2&name="
                  + tag.toUpperCase()
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).isEqualTo(200);
      page.json().get("items").forEach(s -> seen.add(s.get("id").asText()));
      cursor =
          page.json().get("next_cursor").isNull() ? null : page.json().get("next_cursor").asText();
    } while (cursor != null);
    assertThat(seen).containsExactlyElementsOf(ids);

    Response disabled = chime.get("/api/v1/schedules?enabled=false&name=" + tag);
    assertThat(disabled.json().get("items")).hasSize(1);
    assertThat(disabled.json().get("items").get(0).get("name").asText()).isEqualTo(tag + "-2");
  }

  @Test
  void putReplacesTheWholeSpecAndKeepsTheId() {
    String id = create("put-me", interval(60));

    Response replaced =
        chime.put(
            "/api/v1/schedules/" + id,
            schedule(
                "put-me-too",
                cron("*/5 * * * *", "Europe/Berlin"),
                target("https://example.com/new"),
                "[1,2]"));

    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().get("id").asText()).isEqualTo(id);
    assertThat(replaced.json().get("name").asText()).isEqualTo("put-me-too");
    assertThat(replaced.json().get("trigger").get("expr").asText()).isEqualTo("*/5 * * * *");
    assertThat(replaced.json().get("payload").toString()).isEqualTo("[1,2]");
    assertThat(chime.get("/api/v1/schedules/" + id).json()).isEqualTo(replaced.json());
  }

  @Test
  void patchMergesOnlyTheFieldsGiven() {
    String id = create("patch-me", cron("0 9 * * *", "UTC"));

    Response patched =
        chime.patch(
            "/api/v1/schedules/" + id,
            "{\"description\":\"changed\",\"trigger\":{\"expr\":\"30 10 * * *\"},\"target\":{\"headers\":{\"X-Team\":\"ops\"}}}");

    assertThat(patched.status()).isEqualTo(200);
    JsonNode body = patched.json();
    assertThat(body.get("name").asText()).isEqualTo("patch-me");
    assertThat(body.get("description").asText()).isEqualTo("changed");
    assertThat(body.get("trigger").get("expr").asText()).isEqualTo("30 10 * * *");
    assertThat(body.get("trigger").get("timezone").asText()).isEqualTo("UTC");
    assertThat(body.get("target").get("headers").get("X-Team").asText()).isEqualTo("ops");
    assertThat(body.get("target").get("url").asText()).isEqualTo(HOOK);
    assertThat(body.get("next_fire_at").asText()).endsWith("T10:30:00Z");
  }

  @Test
  void patchToAnotherTriggerTypeReplacesTheTrigger() {
    String id = create("patch-type", cron("0 9 * * *", "UTC"));

    Response patched =
        chime.patch("/api/v1/schedules/" + id, "{\"trigger\":" + interval(120) + "}");

    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("trigger").toString())
        .isEqualTo("{\"type\":\"interval\",\"seconds\":120}");
  }

  @Test
  void patchingTheRetryPolicyReplacesItWhole() {
    String id = create("patch-retry", interval(60));

    Response patched =
        chime.patch(
            "/api/v1/schedules/" + id,
            "{\"retry_policy\":{\"max_attempts\":4,\"initial_s\":10,\"multiplier\":3,\"max_s\":600}}");

    assertThat(patched.status()).as(patched.raw().body()).isEqualTo(200);
    assertThat(patched.json().get("retry_policy").toString())
        .isEqualTo(
            "{\"max_attempts\":4,\"initial_s\":10,\"multiplier\":3.0,\"max_s\":600,\"jitter\":0.0}");
  }

  @Test
  void disableClearsTheNextFireAndEnableSetsItAgain() {
    String id = create("toggle", interval(60));

    Response disabled = chime.post("/api/v1/schedules/" + id + "/disable", null);
    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
    assertThat(disabled.json().get("next_fire_at").isNull()).isTrue();

    Response enabled = chime.post("/api/v1/schedules/" + id + "/enable", null);
    assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
    assertThat(Instant.parse(enabled.json().get("next_fire_at").asText())).isAfter(Instant.now());
  }

  @Test
  void deleteRemovesTheScheduleAndASecondDeleteIs404() {
    String id = create("delete-me", interval(60));

    assertThat(chime.delete("/api/v1/schedules/" + id).status()).isEqualTo(204);
    Response gone = chime.get("/api/v1/schedules/" + id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.contentType()).startsWith("application/problem+json");
    assertThat(gone.json().get("detail").asText()).isEqualTo("schedule " + id + " does not exist");
    assertThat(chime.delete("/api/v1/schedules/" + id).status()).isEqualTo(404);
  }

  @Test
  void unknownIdsAreNotFoundEverywhere() {
    String id = UUID.randomUUID().toString();
    assertThat(chime.get("/api/v1/schedules/" + id).status()).isEqualTo(404);
    assertThat(chime.get("/api/v1/schedules/not-a-uuid").status()).isEqualTo(404);
    assertThat(
            chime
                .put("/api/v1/schedules/" + id, schedule("x", interval(60), target(HOOK)))
                .status())
        .isEqualTo(404);
    assertThat(chime.patch("/api/v1/schedules/" + id, "{}").status()).isEqualTo(404);
    assertThat(chime.post("/api/v1/schedules/" + id + "/enable", null).status()).isEqualTo(404);
    assertThat(chime.post("/api/v1/schedules/" + id + "/run-now", null).status()).isEqualTo(404);
    assertThat(chime.get("/api/v1/schedules/" + id + "/runs").status()).isEqualTo(404);
    Response run = chime.get("/api/v1/runs/" + id);
    assertThat(run.status()).isEqualTo(404);
    assertThat(run.json().get("type").asText()).isEqualTo("urn:chime:problem:not-found");
  }

  @Test
  void aWrongMethodIs405AsProblemJson() {
    Response wrong = chime.send("PUT", "/api/v1/schedules", "{}", "application/json");

    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.contentType()).startsWith("application/problem+json");
    assertThat(wrong.json().get("detail").asText())
        .isEqualTo("PUT is not allowed on /api/v1/schedules");
  }

  @Test
  void healthSaysLiveAndReady() {
    assertThat(chime.get("/health/live").json().get("status").asText()).isEqualTo("up");
    Response ready = chime.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().toString())
        .isEqualTo("{\"status\":\"ready\",\"checks\":{\"database\":\"up\",\"engine\":\"up\"}}");
  }

  @Test
  void cronPreviewListsFiresInUtcAndLocalTime() {
    Response preview =
        chime.get(
            "/api/v1/cron/preview?expr=0%209%20*%20*%201-5&timezone=Asia/Shanghai&count=3&after=2026-11-27T00:00:00Z");

    assertThat(preview.status()).isEqualTo(200);
    assertThat(preview.json().toString())
        .isEqualTo(
            "{\"expr\":\"0 9 * * 1-5\",\"timezone\":\"Asia/Shanghai\",\"description\":\"At 09:00, Monday through Friday\","
                + "\"fires\":[{\"utc\":\"2026-11-27T01:00:00Z\",\"local\":\"2026-11-27T09:00:00+08:00\"},"
                + "{\"utc\":\"2026-11-30T01:00:00Z\",\"local\":\"2026-11-30T09:00:00+08:00\"},"
                + "{\"utc\":\"2026-12-01T01:00:00Z\",\"local\":\"2026-12-01T09:00:00+08:00\"}]}");
  }

  @Test
  void cronPreviewAcrossASpringForwardGapShiftsTheFireLater() {
    Response preview =
        chime.get(
            "/api/v1/cron/preview?expr=30%202%20*%20*%20*&timezone=America/New_York&count=2&after=2026-03-07T12:00:00Z");

    JsonNode fires = preview.json().get("fires");
    assertThat(fires.get(0).get("local").asText()).isEqualTo("2026-03-08T03:30:00-04:00");
    assertThat(fires.get(1).get("local").asText()).isEqualTo("2026-03-09T02:30:00-04:00");
  }

  private static String create(String name, String trigger) {
    Response created = chime.post("/api/v1/schedules", schedule(name, trigger, target(HOOK)));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.json().get("id").asText();
  }
}
