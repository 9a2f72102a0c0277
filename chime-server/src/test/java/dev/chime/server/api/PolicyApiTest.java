package dev.chime.server.api;

import static dev.chime.server.testing.Json.interval;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Run policies through the real API, in real time, against a target that fails on purpose: 500s,
 * hangs, and 202 with a later callback.
 */
class PolicyApiTest {
  private static ChimeTestNode chime;
  private static TargetServer target;

  @BeforeAll
  static void start() {
    target = new TargetServer();
    chime = ChimeTestNode.start();
  }

  @AfterAll
  static void stop() {
    chime.close();
    target.close();
  }

  @Test
  void serverErrorsAreRetriedAsNewAttemptsOfTheSameInstant() {
    String path = "/flaky-" + System.nanoTime();
    AtomicInteger calls = new AtomicInteger();
    target.answer(
        r ->
            r.path().equals(path) && calls.incrementAndGet() == 1
                ? Answer.status(500)
                : Answer.ok());
    String id = create(path, "\"retry_policy\":{\"max_attempts\":3,\"backoff\":[1]}");

    chime.post("/api/v1/schedules/" + id + "/run-now", null);

    await().until(() -> statuses(id).equals(List.of("success", "failed")));
    JsonNode runs = runs(id);
    assertThat(runs.get(0).get("attempt").asInt()).isEqualTo(2);
    assertThat(runs.get(1).get("attempt").asInt()).isEqualTo(1);
    assertThat(runs.get(0).get("run_key")).isEqualTo(runs.get(1).get("run_key"));
    assertThat(target.received(path))
        .extracting(r -> r.header("Idempotency-Key"))
        .containsOnly(runs.get(0).get("run_key").asText());
    JsonNode schedule = chime.get("/api/v1/schedules/" + id).json();
    assertThat(schedule.get("last_status").asText()).isEqualTo("success");
    assertThat(schedule.get("consecutive_failures").asInt()).isZero();
    assertThat(schedule.get("retry_policy").toString())
        .isEqualTo("{\"max_attempts\":3,\"backoff\":[1]}");
  }

  @Test
  void aHangingTargetEndsAsTimeout() {
    String path = "/hangs-" + System.nanoTime();
    target.answer(r -> r.path().equals(path) ? Answer.hanging() : Answer.ok());
    String id =
        create(
            "{\"url\":\"" + target.url(path) + "\",\"timeout_ms\":300}",
            path,
            "\"retry_policy\":{\"max_attempts\":1}");

    chime.post("/api/v1/schedules/" + id + "/run-now", null);

    await().until(() -> statuses(id).equals(List.of("timeout")));
    assertThat(runs(id).get(0).get("error_code").asText()).isEqualTo("timeout");
  }

  @Test
  void aTargetThatAnswers202CompletesTheRunLaterOnTheCallbackUrl() throws Exception {
    String path = "/async-" + System.nanoTime();
    target.answer(r -> r.path().equals(path) ? Answer.status(202) : Answer.ok());
    String id = create(path, "\"retry_policy\":{\"max_attempts\":1}");

    chime.post("/api/v1/schedules/" + id + "/run-now", null);
    await().until(() -> runs(id).get(0).get("http_status").asInt() == 202);
    assertThat(statuses(id)).containsExactly("running");
    TargetServer.Received call = target.received(path).get(0);
    String callback = call.header("Chime-Callback-Url");
    String token = call.header("Chime-Callback-Token");
    assertThat(callback)
        .isEqualTo(
            chime.url("/api/v1/runs/" + call.header("Chime-Run-Id") + "/complete").toString());

    String report = "{\"status\":\"success\",\"result\":{\"rows\":3}}";
    assertThat(callBack(callback, "not-the-token", report).statusCode()).isEqualTo(403);
    HttpResponse<String> done = callBack(callback, token, report);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(callBack(callback, token, report).statusCode()).isEqualTo(403);

    JsonNode run = runs(id).get(0);
    assertThat(run.get("status").asText()).isEqualTo("success");
    assertThat(run.get("result").toString()).isEqualTo("{\"rows\":3}");
  }

  @Test
  void aQueuedRetryCanBeCancelledAndAFailedRunRetriedByHand() {
    String path = "/manual-" + System.nanoTime();
    AtomicInteger calls = new AtomicInteger();
    target.answer(
        r ->
            r.path().equals(path) && calls.incrementAndGet() == 1
                ? Answer.status(503)
                : Answer.ok());
    String id = create(path, "\"retry_policy\":{\"max_attempts\":2,\"backoff\":[3600]}");

    chime.post("/api/v1/schedules/" + id + "/run-now", null);
    await().until(() -> statuses(id).equals(List.of("queued", "failed")));

    String queued = runs(id).get(0).get("id").asText();
    Response cancelled = chime.post("/api/v1/runs/" + queued + "/cancel", null);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
    assertThat(chime.post("/api/v1/runs/" + queued + "/cancel", null).status()).isEqualTo(409);

    String failed = runs(id).get(1).get("id").asText();
    Response retry = chime.post("/api/v1/runs/" + failed + "/retry", null);
    assertThat(retry.status()).isEqualTo(202);
    assertThat(retry.json().get("attempt").asInt()).isEqualTo(3);
    assertThat(retry.json().get("origin").asText()).isEqualTo("manual");
    String retried = retry.json().get("id").asText();
    await()
        .until(
            () ->
                chime
                    .get("/api/v1/runs/" + retried)
                    .json()
                    .get("status")
                    .asText()
                    .equals("success"));

    Response notRetryable = chime.post("/api/v1/runs/" + retried + "/retry", null);
    assertThat(notRetryable.status()).isEqualTo(409);
    assertThat(notRetryable.contentType()).startsWith("application/problem+json");
  }

  @Test
  void disablingAScheduleCancelsTheRetriesItQueued() {
    String path = "/disabled-" + System.nanoTime();
    target.answer(r -> r.path().equals(path) ? Answer.status(503) : Answer.ok());
    String at = java.time.Instant.now().plusMillis(1500).toString();
    Response created =
        chime.post(
            "/api/v1/schedules",
            "{\"name\":\"policy"
                + path
                + "\",\"trigger\":{\"type\":\"once\",\"at\":\""
                + at
                + "\"},\"target\":{\"url\":\""
                + target.url(path)
                + "\"},\"retry_policy\":{\"max_attempts\":2,\"backoff\":[3600]}}");
    String id = created.json().get("id").asText();

    await().until(() -> statuses(id).equals(List.of("queued", "failed")));
    chime.post("/api/v1/schedules/" + id + "/disable", null);

    JsonNode retry = runs(id).get(0);
    assertThat(retry.get("status").asText()).isEqualTo("cancelled");
    assertThat(retry.get("error_message").asText()).isEqualTo("the schedule was disabled");
  }

  @Test
  void afterTooManyFailuresTheScheduleIsSwitchedOffAndEnablingStartsAfresh() {
    String path = "/broken-" + System.nanoTime();
    target.answer(r -> r.path().equals(path) ? Answer.status(400) : Answer.ok());
    String id = create(path, "\"auto_disable_after\":2");

    chime.post("/api/v1/schedules/" + id + "/run-now", null);
    await()
        .until(
            () ->
                chime.get("/api/v1/schedules/" + id).json().get("consecutive_failures").asInt()
                    == 1);
    chime.post("/api/v1/schedules/" + id + "/run-now", null);
    await().until(() -> !chime.get("/api/v1/schedules/" + id).json().get("enabled").asBoolean());

    JsonNode disabled = chime.get("/api/v1/schedules/" + id).json();
    assertThat(disabled.get("disabled_reason").asText())
        .startsWith("disabled by Chime after 2 failed run(s)");
    assertThat(disabled.get("last_status").asText()).isEqualTo("failed");

    JsonNode enabled = chime.post("/api/v1/schedules/" + id + "/enable", null).json();
    assertThat(enabled.get("disabled_reason").isNull()).isTrue();
    assertThat(enabled.get("consecutive_failures").asInt()).isZero();
  }

  private static String create(String path, String policy) {
    return create("{\"url\":\"" + target.url(path) + "\",\"timeout_ms\":5000}", path, policy);
  }

  private static String create(String targetJson, String path, String policy) {
    Response created =
        chime.post(
            "/api/v1/schedules",
            "{\"name\":\"policy"
                + path
                + "\",\"trigger\":"
                + interval(3600)
                + ",\"target\":"
                + targetJson
                + ","
                + policy
                + "}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private static JsonNode runs(String id) {
    return chime.get("/api/v1/schedules/" + id + "/runs").json().get("items");
  }

  /** Statuses newest first. */
  private static List<String> statuses(String id) {
    List<String> statuses = new ArrayList<>();
    runs(id).forEach(r -> statuses.add(r.get("status").asText()));
    return statuses;
  }

  private static HttpResponse<String> callBack(String url, String token, String body)
      throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create(url))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
