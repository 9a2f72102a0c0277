package dev.chime.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.server.web.WebPage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code openapi.json} honest: it is served, every documented operation is routed, every
 * route is documented, and what the server really answers fits the documented schemas.
 */
class OpenApiDocumentTest {
  /**
   * The routes the server has, read from ApiServer, ScheduleRoutes, RunRoutes and CronRoutes. When
   * you add a route, add it here and to openapi.json; {@link #theRouteListMatchesJavalin} fails
   * until you do.
   */
  private static final Set<String> ROUTES =
      Set.of(
          "POST /api/v1/schedules",
          "GET /api/v1/schedules",
          "POST /api/v1/schedules/bulk",
          "GET /api/v1/schedules/{id}",
          "PUT /api/v1/schedules/{id}",
          "PATCH /api/v1/schedules/{id}",
          "DELETE /api/v1/schedules/{id}",
          "POST /api/v1/schedules/{id}/enable",
          "POST /api/v1/schedules/{id}/disable",
          "POST /api/v1/schedules/{id}/run-now",
          "GET /api/v1/schedules/{id}/runs",
          "GET /api/v1/schedules/{id}/stats",
          "GET /api/v1/runs/{id}",
          "POST /api/v1/runs/{id}/retry",
          "POST /api/v1/runs/{id}/cancel",
          "POST /api/v1/runs/{id}/complete",
          "GET /api/v1/cron/preview",
          "GET /api/v1/signing-secrets",
          "POST /api/v1/signing-secrets/rotate",
          "GET /api/v1/target-policy",
          "PUT /api/v1/target-policy",
          "GET /api/v1/nodes",
          "GET /api/v1/nodes/{id}",
          "GET /api/v1/tenants",
          "POST /api/v1/tenants",
          "GET /api/v1/tenants/{id}",
          "PATCH /api/v1/tenants/{id}",
          "DELETE /api/v1/tenants/{id}",
          "GET /api/v1/tokens",
          "POST /api/v1/tokens",
          "GET /api/v1/tokens/current",
          "GET /api/v1/tokens/{id}",
          "DELETE /api/v1/tokens/{id}",
          "GET /api/v1/audit",
          "POST /api/v1/channels",
          "GET /api/v1/channels",
          "GET /api/v1/channels/{id}",
          "PATCH /api/v1/channels/{id}",
          "DELETE /api/v1/channels/{id}",
          "POST /api/v1/channels/{id}/test",
          "POST /api/v1/alert-rules",
          "GET /api/v1/alert-rules",
          "GET /api/v1/alert-rules/{id}",
          "PATCH /api/v1/alert-rules/{id}",
          "DELETE /api/v1/alert-rules/{id}",
          "GET /api/v1/incidents",
          "GET /api/v1/incidents/{id}",
          "POST /api/v1/schedules/{id}/checkin-token",
          "POST /api/v1/checkins/{token}",
          "POST /api/v1/checkins/{token}/start",
          "POST /api/v1/checkins/{token}/fail",
          "GET /api/v1/schedule-runs/{id}",
          "POST /api/v1/schedule-runs/{id}/retry",
          "POST /api/v1/schedule-runs/{id}/complete",
          "GET /api/v1/compat/scheduled-tasks-target",
          "PUT /api/v1/compat/scheduled-tasks-target",
          "GET /plugin-api/timer-scheduler/health",
          "GET /plugin-api/timer-scheduler/jobs",
          "POST /plugin-api/timer-scheduler/jobs",
          "POST /plugin-api/timer-scheduler/jobs/{id}/trigger",
          "GET /scheduled-tasks",
          "POST /scheduled-tasks",
          "PUT /scheduled-tasks/{id}",
          "DELETE /scheduled-tasks/{id}",
          "GET /scheduled-tasks/{id}/runs",
          "GET /api/v1/openapi.json",
          "GET /metrics",
          "GET /health/live",
          "GET /health/ready");

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "patch", "delete", "head", "options", "trace");

  /** Nobody listens on the discard port, so calls fail fast with connection_refused. */
  private static final String DEAD_TARGET = "http://127.0.0.1:9/hooks/report";

  private static ChimeTestNode node;
  private static JsonNode doc;

  @BeforeAll
  static void start() {
    node = ChimeTestNode.start();
    Response response = node.get("/api/v1/openapi.json");
    assertThat(response.status()).isEqualTo(200);
    doc = response.json();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theDocumentIsServedAsOpenApi31() {
    Response response = node.get("/api/v1/openapi.json");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.json()).isNotNull();
    assertThat(doc.path("openapi").asText()).startsWith("3.1");
    assertThat(doc.path("info").path("title").asText()).isEqualTo("Chime");
    assertThat(doc.path("info").path("version").asText()).isEqualTo("0.1.0");
    assertThat(doc.path("info").path("description").asText()).isNotBlank();
  }

  @Test
  void everyReferenceResolves() {
    List<String> broken = new ArrayList<>();
    collectRefs(doc, broken);
    assertThat(broken).as("$refs that point nowhere").isEmpty();
  }

  /**
   * Forms that openapi-generator reads badly (docs/other-languages.md): a type list (nullable is
   * {@code oneOf} with {@code {"type":"null"}}), a const without a type (a discriminator needs
   * one), an enum or const value without a letter or digit (its generated name is empty, which
   * fails to compile). {@code python3 tools/openapi-for-generators.py} rewrites them all.
   */
  @Test
  void theSchemasUseFormsGeneratorsRead() {
    List<String> problems = new ArrayList<>();
    collectGeneratorTrouble(doc, "", problems);
    assertThat(problems)
        .as("run python3 tools/openapi-for-generators.py on openapi.json to rewrite these")
        .isEmpty();
  }

  private static void collectGeneratorTrouble(JsonNode node, String at, List<String> problems) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectGeneratorTrouble(node.get(i), at + "/" + i, problems);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    if (node.path("type").isArray()) {
      problems.add(at + ": a type list " + node.get("type"));
    }
    if (node.has("const") && !node.has("type")) {
      problems.add(at + ": a const without a type");
    }
    List<JsonNode> values = new ArrayList<>();
    node.path("enum").forEach(values::add);
    if (node.has("const")) {
      values.add(node.get("const"));
    }
    for (JsonNode value : values) {
      if (value.isTextual() && !Pattern.compile("[A-Za-z0-9]").matcher(value.asText()).find()) {
        problems.add(at + ": the enum value '" + value.asText() + "' has no letter or digit");
      }
    }
    node.properties()
        .forEach(
            e -> {
              // examples are values, not schemas
              if (!e.getKey().equals("examples") && !e.getKey().equals("example")) {
                collectGeneratorTrouble(e.getValue(), at + "/" + e.getKey(), problems);
              }
            });
  }

  @Test
  void everyOperationHasAnIdSummaryAndResponses() {
    Set<String> ids = new TreeSet<>();
    forEachOperation(
        (method, path, operation) -> {
          String where = method.toUpperCase(Locale.ROOT) + " " + path;
          assertThat(operation.path("operationId").asText()).as(where).isNotBlank();
          assertThat(ids.add(operation.path("operationId").asText()))
              .as("operationId of " + where + " is unique")
              .isTrue();
          assertThat(operation.path("summary").asText()).as(where).isNotBlank();
          // generators make one module per tag: an operation under two is exported twice
          assertThat(operation.path("tags")).as(where + " has one tag").hasSize(1);
          assertThat(operation.path("responses").size()).as(where).isPositive();
          operation
              .path("responses")
              .properties()
              .forEach(
                  entry -> {
                    int status = Integer.parseInt(entry.getKey());
                    JsonNode content = resolve(entry.getValue()).path("content");
                    if (status >= 400 && !path.startsWith("/health/")) {
                      assertThat(fieldNames(content))
                          .as(where + " " + status)
                          .containsExactly("application/problem+json");
                    }
                  });
        });
  }

  @Test
  void everyDocumentedOperationIsRouted() {
    forEachOperation(
        (method, path, operation) -> {
          String where = method.toUpperCase(Locale.ROOT) + " " + path;
          String concrete =
              path.replace("{id}", UUID.randomUUID().toString()).replace("{token}", "ck_unknown");
          String body = operation.has("requestBody") ? minimalBody(method, path) : null;
          String contentType =
              method.equals("patch") ? "application/merge-patch+json" : "application/json";
          // a callback without a token is refused before the run is looked up
          Response response =
              path.endsWith("/complete")
                  ? callback(concrete, body, Optional.of("Bearer not-a-real-token"))
                  : node.send(method.toUpperCase(Locale.ROOT), concrete, body, contentType);

          assertThat(response.status()).as(where + " is routed").isNotEqualTo(405);
          if (response.status() == 404) {
            assertThat(response.json().path("type").asText())
                .as(where)
                .isEqualTo("urn:chime:problem:not-found");
            assertThat(response.json().path("detail").asText())
                .as(where + " is routed")
                .doesNotStartWith("no resource at");
          }
          JsonNode documented = operation.path("responses").path(String.valueOf(response.status()));
          assertThat(documented.isMissingNode())
              .as(where + " answered " + response.status() + ", which it does not document")
              .isFalse();
          if (response.status() >= 400 && !path.startsWith("/health/")) {
            assertThat(response.contentType()).as(where).startsWith("application/problem+json");
            assertFits(response.json(), schema("Problem"), where);
          }
        });
  }

  @Test
  void everyRouteIsDocumented() {
    assertThat(documentedOperations())
        .as("routes of the server that openapi.json does not document")
        .containsAll(ROUTES);
    assertThat(ROUTES)
        .as("operations in openapi.json that the server has no route for")
        .containsAll(documentedOperations());
  }

  /**
   * Javalin's own route table must match {@link #ROUTES}, so a route added in code without being
   * added to the list (and thus to the document) fails here.
   */
  @Test
  void theRouteListMatchesJavalin() {
    // the web page's routes serve the page, not the API, and are not in the document
    Set<String> page = new TreeSet<>();
    WebPage.PAGES.forEach(path -> page.add("GET " + path));
    page.add("GET " + WebPage.ASSETS);
    Set<String> routed = new TreeSet<>(node.node().api().routes());
    assertThat(routed).containsAll(page);
    routed.removeAll(page);
    assertThat(routed).containsExactlyInAnyOrderElementsOf(ROUTES);
    assertThat(documentedOperations()).containsAll(routed);
  }

  @Test
  void theSchemasAndExamplesAreConsistent() {
    List<String> problems = new ArrayList<>();
    doc.path("components")
        .path("schemas")
        .properties()
        .forEach(
            entry -> {
              for (JsonNode example : entry.getValue().path("examples")) {
                fits(example, entry.getValue(), "example of " + entry.getKey(), problems);
              }
            });
    checkMediaExamples(doc.path("paths"), "paths", problems);
    checkMediaExamples(doc.path("components").path("responses"), "responses", problems);
    doc.path("components")
        .path("parameters")
        .properties()
        .forEach(
            entry -> {
              JsonNode parameter = entry.getValue();
              if (parameter.has("example")) {
                fits(parameter.get("example"), parameter.get("schema"), entry.getKey(), problems);
              }
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void aRealScheduleFitsTheScheduleSchema() {
    String name = "fits-" + UUID.randomUUID();
    Response created = node.post("/api/v1/schedules", cronSchedule(name));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.header("Location"))
        .isEqualTo("/api/v1/schedules/" + created.json().path("id").asText());
    assertFits(created.json(), schema("Schedule"), "created schedule");

    String id = created.json().path("id").asText();
    assertFits(node.get("/api/v1/schedules/" + id).json(), schema("Schedule"), "read schedule");
    Response disabled = node.post("/api/v1/schedules/" + id + "/disable", null);
    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.json().path("next_fire_at").isNull()).isTrue();
    assertFits(disabled.json(), schema("Schedule"), "disabled schedule");
    Response patched =
        node.patch(
            "/api/v1/schedules/" + id,
            "{\"enabled\":true,\"trigger\":{\"type\":\"interval\",\"seconds\":3600}}");
    assertThat(patched.status()).as(patched.raw().body()).isEqualTo(200);
    assertFits(patched.json(), schema("Schedule"), "patched schedule");
    Response replaced =
        node.put(
            "/api/v1/schedules/" + id,
            "{\"name\":\""
                + name
                + "\",\"trigger\":{\"type\":\"once\",\"at\":\"2099-12-01T09:30:00+08:00\"},"
                + "\"target\":{\"method\":\"get\",\"url\":\""
                + DEAD_TARGET
                + "\"}}");
    assertThat(replaced.status()).as(replaced.raw().body()).isEqualTo(200);
    assertThat(replaced.json().path("payload").isNull()).isTrue();
    assertFits(replaced.json(), schema("Schedule"), "replaced schedule");
    // a schedule read with GET is accepted back by PUT as it is, read-only fields and all
    Response echoed = node.put("/api/v1/schedules/" + id, replaced.json().toString());
    assertThat(echoed.status()).as(echoed.raw().body()).isEqualTo(200);
  }

  @Test
  void aRealPageOfSchedulesFitsTheSchedulePageSchema() {
    for (int i = 0; i < 2; i++) {
      assertThat(node.post("/api/v1/schedules", cronSchedule("page-" + UUID.randomUUID())).status())
          .isEqualTo(201);
    }
    Response first = node.get("/api/v1/schedules?limit=1&enabled=true");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().path("next_cursor").isTextual()).isTrue();
    assertFits(first.json(), schema("SchedulePage"), "first page");
    Response next =
        node.get("/api/v1/schedules?limit=1&cursor=" + first.json().path("next_cursor").asText());
    assertFits(next.json(), schema("SchedulePage"), "next page");
    Response filtered = node.get("/api/v1/schedules?name=PAGE-&limit=500");
    assertThat(filtered.json().path("items").size()).isGreaterThanOrEqualTo(2);
    assertThat(filtered.json().path("next_cursor").isNull()).isTrue();
    assertFits(filtered.json(), schema("SchedulePage"), "filtered page");
  }

  @Test
  void aRealRunFitsTheRunSchema() {
    Response created = node.post("/api/v1/schedules", cronSchedule("run-" + UUID.randomUUID()));
    String id = created.json().path("id").asText();

    Response queued = node.post("/api/v1/schedules/" + id + "/run-now", null);
    assertThat(queued.status()).isEqualTo(202);
    assertThat(queued.json().path("status").asText()).isEqualTo("queued");
    assertThat(queued.json().path("origin").asText()).isEqualTo("manual");
    String runPath = "/api/v1/runs/" + queued.json().path("id").asText();
    assertThat(queued.header("Location")).isEqualTo(runPath);
    assertFits(queued.json(), schema("Run"), "queued run");

    JsonNode finished =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> node.get(runPath).json(),
                run ->
                    Set.of("success", "failed", "timeout").contains(run.path("status").asText()));
    assertThat(finished.path("error_code").asText()).isEqualTo("connection_refused");
    assertFits(finished, schema("Run"), "finished run");

    // connection_refused is retried: the default policy queued attempt 2, due 30 s later
    Response runs = node.get("/api/v1/schedules/" + id + "/runs?limit=10");
    assertThat(runs.status()).isEqualTo(200);
    assertThat(runs.json().path("items").size()).isEqualTo(2);
    assertFits(runs.json(), schema("RunPage"), "page of runs");
    JsonNode retry = attempt(runs.json(), 2);
    assertThat(retry.path("status").asText()).isEqualTo("queued");
    assertThat(retry.path("run_key").asText()).isEqualTo(queued.json().path("run_key").asText());
    assertThat(Instant.parse(retry.path("due_at").asText()))
        .isAfter(Instant.parse(finished.path("finished_at").asText()).plusSeconds(29));

    // a queued retry can be cancelled; an ended run cannot
    Response cancelled = node.post("/api/v1/runs/" + retry.path("id").asText() + "/cancel", null);
    assertThat(cancelled.status()).as(cancelled.raw().body()).isEqualTo(200);
    assertThat(cancelled.json().path("status").asText()).isEqualTo("cancelled");
    assertThat(cancelled.json().path("error_code").asText()).isEqualTo("cancelled");
    assertFits(cancelled.json(), schema("Run"), "cancelled run");
    Response notCancellable = node.post(runPath + "/cancel", null);
    assertThat(notCancellable.status()).isEqualTo(409);
    assertThat(notCancellable.contentType()).startsWith("application/problem+json");
    assertFits(notCancellable.json(), schema("Problem"), "cancel of a failed run");
  }

  @Test
  void aRetriedRunFitsTheRunSchema() {
    Response created =
        node.post(
            "/api/v1/schedules",
            withPolicy(cronSchedule("retry-" + UUID.randomUUID()), "{\"max_attempts\":1}"));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.json().path("retry_policy").path("max_attempts").asInt()).isEqualTo(1);
    String id = created.json().path("id").asText();
    String runPath =
        "/api/v1/runs/"
            + node.post("/api/v1/schedules/" + id + "/run-now", null).json().path("id").asText();
    JsonNode failed = awaitRun(runPath, "failed");

    Response retried = node.post(runPath + "/retry", null);
    assertThat(retried.status()).as(retried.raw().body()).isEqualTo(202);
    JsonNode retry = retried.json();
    assertThat(retried.header("Location")).isEqualTo("/api/v1/runs/" + retry.path("id").asText());
    assertThat(retry.path("status").asText()).isEqualTo("queued");
    assertThat(retry.path("attempt").asInt()).isEqualTo(2);
    assertThat(retry.path("origin").asText()).isEqualTo("manual");
    assertThat(retry.path("run_key")).isEqualTo(failed.path("run_key"));
    assertThat(retry.path("scheduled_at")).isEqualTo(failed.path("scheduled_at"));
    assertFits(retry, schema("Run"), "retry");

    JsonNode retryFailed = awaitRun(retried.header("Location"), "failed");
    assertFits(retryFailed, schema("Run"), "failed retry");
    Response runs = node.get("/api/v1/schedules/" + id + "/runs");
    assertThat(runs.json().path("items").size())
        .as("max_attempts 1: no automatic retry")
        .isEqualTo(2);
    assertFits(runs.json(), schema("RunPage"), "page of runs with a retry");
    JsonNode schedule = node.get("/api/v1/schedules/" + id).json();
    assertThat(schedule.path("last_status").asText()).isEqualTo("failed");
    assertFits(schedule, schema("Schedule"), "schedule after failures");

    // the callback refuses a run that is not running, and a token that is not its own
    Response forbidden =
        callback(runPath + "/complete", "{\"status\":\"success\"}", Optional.of("Bearer nope"));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.contentType()).startsWith("application/problem+json");
    assertThat(forbidden.json().path("type").asText()).isEqualTo("urn:chime:problem:forbidden");
    assertFits(forbidden.json(), schema("Problem"), "callback with a bad token");
  }

  /**
   * An async target: it answers 202 and reports later with the one-run token it was given. One
   * accepted run is cancelled, the other completed by its callback.
   */
  @Test
  void anAsyncRunAndItsCallbackFitTheSchemas() throws IOException {
    Map<String, String> tokens = new ConcurrentHashMap<>();
    Map<String, String> callbackUrls = new ConcurrentHashMap<>();
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext(
        "/async",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
          }
          String runId = exchange.getRequestHeaders().getFirst("Chime-Run-Id");
          callbackUrls.put(runId, exchange.getRequestHeaders().getFirst("Chime-Callback-Url"));
          tokens.put(runId, exchange.getRequestHeaders().getFirst("Chime-Callback-Token"));
          byte[] answer = "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(202, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    target.start();
    try {
      String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/async";
      Response created =
          node.post(
              "/api/v1/schedules",
              withPolicy(cronSchedule("async-" + UUID.randomUUID()), "{\"max_attempts\":1}")
                  .replace(DEAD_TARGET + "\"", url + "\",\"async_timeout_s\":600"));
      assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
      assertThat(created.json().path("target").path("async_timeout_s").asInt()).isEqualTo(600);
      String id = created.json().path("id").asText();

      // accepted, then cancelled: its token no longer works
      String cancelledId = acceptedRun(id);
      Response cancelled = node.post("/api/v1/runs/" + cancelledId + "/cancel", null);
      assertThat(cancelled.status()).as(cancelled.raw().body()).isEqualTo(200);
      assertThat(cancelled.json().path("status").asText()).isEqualTo("cancelled");
      assertFits(cancelled.json(), schema("Run"), "cancelled async run");
      Response late =
          callback(
              "/api/v1/runs/" + cancelledId + "/complete",
              "{\"status\":\"success\"}",
              Optional.of("Bearer " + tokens.get(cancelledId)));
      assertThat(late.status()).isEqualTo(403);
      assertFits(late.json(), schema("Problem"), "report on a cancelled run");

      // accepted, then completed by the target
      String runId = acceptedRun(id);
      String complete = "/api/v1/runs/" + runId + "/complete";
      assertThat(callbackUrls.get(runId)).isEqualTo(node.url(complete).toString());
      Response noToken = callback(complete, "{\"status\":\"success\"}", Optional.empty());
      assertThat(noToken.status()).isEqualTo(403);
      assertFits(noToken.json(), schema("Problem"), "report without a token");
      Response badBody =
          callback(
              complete,
              "{\"status\":\"done\",\"color\":1}",
              Optional.of("Bearer " + tokens.get(runId)));
      assertThat(badBody.status()).isEqualTo(400);
      assertThat(badBody.json().path("errors").size()).isEqualTo(2);
      assertFits(badBody.json(), schema("Problem"), "bad report");
      String report = "{\"status\":\"success\",\"result\":{\"rows\":42}}";
      Response done = callback(complete, report, Optional.of("Bearer " + tokens.get(runId)));
      assertThat(done.status()).as(done.raw().body()).isEqualTo(200);
      assertThat(done.json().path("status").asText()).isEqualTo("success");
      assertThat(done.json().path("http_status").asInt()).isEqualTo(202);
      assertThat(done.json().path("result").path("rows").asInt()).isEqualTo(42);
      assertFits(done.json(), schema("Run"), "completed async run");
      Response again = callback(complete, report, Optional.of("Bearer " + tokens.get(runId)));
      assertThat(again.status()).as("a token works once").isEqualTo(403);
      assertFits(node.get("/api/v1/schedules/" + id).json(), schema("Schedule"), "async schedule");
    } finally {
      target.stop(0);
    }
  }

  /** Asks for a run now and waits until the target has accepted it (202); returns its id. */
  private static String acceptedRun(String scheduleId) {
    Response queued = node.post("/api/v1/schedules/" + scheduleId + "/run-now", null);
    assertThat(queued.status()).isEqualTo(202);
    JsonNode running =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> node.get(queued.header("Location")).json(),
                run ->
                    run.path("status").asText().equals("running")
                        && run.path("http_status").asInt() == 202);
    assertFits(running, schema("Run"), "accepted run");
    return running.path("id").asText();
  }

  private static JsonNode awaitRun(String runPath, String status) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.get(runPath).json(), run -> status.equals(run.path("status").asText()));
  }

  private static JsonNode attempt(JsonNode page, int attempt) {
    for (JsonNode run : page.path("items")) {
      if (run.path("attempt").asInt() == attempt) {
        return run;
      }
    }
    throw new AssertionError("no attempt " + attempt + " in " + page);
  }

  @Test
  void aRealCronPreviewFitsTheSchemaAndMatchesTheExample() {
    JsonNode example = schema("CronPreview").path("examples").get(0);
    Response preview =
        node.get(
            "/api/v1/cron/preview?expr=0%209%20*%20*%201-5&timezone=Asia/Shanghai&count=3"
                + "&after=2026-03-01T00:00:00Z");
    assertThat(preview.status()).isEqualTo(200);
    assertFits(preview.json(), schema("CronPreview"), "cron preview");
    assertThat(preview.json()).isEqualTo(example);
  }

  @Test
  void realProblemsFitTheProblemSchema() {
    Response bad =
        node.post(
            "/api/v1/schedules",
            "{\"name\":\"\",\"color\":\"red\",\"trigger\":{\"type\":\"cron\",\"expr\":\"61 * * * *\"},"
                + "\"target\":{\"url\":\"ftp://example.com\"}}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    assertThat(bad.json().path("errors").size()).isGreaterThan(1);
    assertFits(bad.json(), schema("Problem"), "invalid input");

    Response badQuery = node.get("/api/v1/schedules?limit=0");
    assertThat(badQuery.status()).isEqualTo(400);
    assertThat(badQuery.json().path("field").asText()).isEqualTo("limit");
    assertFits(badQuery.json(), schema("Problem"), "bad query parameter");

    String name = "dup-" + UUID.randomUUID();
    assertThat(node.post("/api/v1/schedules", cronSchedule(name)).status()).isEqualTo(201);
    Response conflict = node.post("/api/v1/schedules", cronSchedule(name));
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.json().path("field").asText()).isEqualTo("name");
    assertFits(conflict.json(), schema("Problem"), "conflict");

    Response missing = node.get("/api/v1/runs/" + UUID.randomUUID());
    assertThat(missing.status()).isEqualTo(404);
    assertFits(missing.json(), schema("Problem"), "not found");

    Response wrongMethod = node.get("/api/v1/schedules/" + UUID.randomUUID() + "/run-now");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertFits(wrongMethod.json(), schema("Problem"), "method not allowed");

    Response wrongType = node.send("POST", "/api/v1/schedules", "name=x", "text/plain");
    assertThat(wrongType.status()).isEqualTo(415);
    assertFits(wrongType.json(), schema("Problem"), "unsupported media type");
    Response foreign =
        node.send(
            "POST",
            "/api/v1/schedules",
            cronSchedule("foreign-" + UUID.randomUUID()),
            "application/json",
            Map.of("Origin", "https://evil.example"));
    assertThat(foreign.status()).isEqualTo(403);
    assertFits(foreign.json(), schema("Problem"), "cross-origin");
    for (String path : List.of("/api/v1/schedules/%00", "/api/v1/runs?x=" + "a".repeat(9000))) {
      Response unreadable = node.get(path);
      assertThat(unreadable.status()).isIn(400, 414);
      assertFits(unreadable.json(), schema("Problem"), "a request the server cannot read");
    }

    String big = "\"" + "x".repeat(70_000) + "\"";
    Response tooLarge =
        node.post(
            "/api/v1/schedules",
            cronSchedule("big-" + UUID.randomUUID())
                .replace("\"payload\":{}", "\"payload\":" + big));
    assertThat(tooLarge.status()).isEqualTo(422);
    assertFits(tooLarge.json(), schema("Problem"), "payload over the tenant's limit");
    Response tooBig = node.post("/api/v1/schedules", "{\"name\":\"" + "x".repeat(100_000) + "\"}");
    assertThat(tooBig.status()).isEqualTo(413);
    assertFits(tooBig.json(), schema("Problem"), "body too large");
    Response noToken = node.as(null).get("/api/v1/schedules");
    assertThat(noToken.status()).isEqualTo(401);
    assertFits(noToken.json(), schema("Problem"), "no token");
    Response noScope =
        node.as(dev.chime.server.testing.Tenants.token(node, "default", "runs:read"))
            .get("/api/v1/schedules");
    assertThat(noScope.status()).isEqualTo(403);
    assertFits(noScope.json(), schema("Problem"), "missing scope");
  }

  @Test
  void realChannelsRulesAndCheckinsFitTheirSchemas() {
    Response made =
        node.post(
            "/api/v1/channels",
            "{\"name\":\"fits-"
                + UUID.randomUUID()
                + "\",\"type\":\"webhook\",\"url\":\""
                + DEAD_TARGET
                + "\",\"headers\":{\"Authorization\":\"Bearer t\"}}");
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    assertFits(made.json(), schema("ChannelCreated"), "created channel");
    String channel = made.json().path("id").asText();
    assertFits(node.get("/api/v1/channels/" + channel).json(), schema("Channel"), "channel");
    Response mail =
        node.post(
            "/api/v1/channels",
            "{\"name\":\"fits-mail-"
                + UUID.randomUUID()
                + "\",\"type\":\"email\",\"to\":[\"ops@example.com\"],\"from\":\"c@example.com\","
                + "\"smtp\":{\"host\":\"127.0.0.1\",\"port\":9,\"user\":\"u\",\"password\":\"p\"}}");
    assertThat(mail.status()).as(mail.raw().body()).isEqualTo(201);
    assertFits(mail.json(), schema("ChannelCreated"), "created e-mail channel");
    assertFits(node.get("/api/v1/channels?limit=1").json(), schema("ChannelPage"), "channels");
    Response tested = node.post("/api/v1/channels/" + channel + "/test", null);
    assertThat(tested.json().path("delivered").asBoolean()).isFalse();
    assertFits(tested.json(), schema("ChannelTest"), "test send");

    Response checkin =
        node.post(
            "/api/v1/schedules",
            "{\"name\":\"fits-checkin-"
                + UUID.randomUUID()
                + "\",\"trigger\":{\"type\":\"interval\",\"seconds\":3600},"
                + "\"target\":{\"type\":\"checkin\",\"grace_s\":120}}");
    assertThat(checkin.status()).as(checkin.raw().body()).isEqualTo(201);
    assertFits(checkin.json(), schema("Schedule"), "check-in schedule");
    String schedule = checkin.json().path("id").asText();
    Response rule =
        node.post(
            "/api/v1/alert-rules",
            "{\"kind\":\"failures\",\"schedule_id\":\""
                + schedule
                + "\",\"channels\":[\""
                + channel
                + "\"]}");
    assertThat(rule.status()).as(rule.raw().body()).isEqualTo(201);
    assertFits(rule.json(), schema("AlertRule"), "alert rule");
    Response changedRule =
        node.send(
            "PATCH",
            "/api/v1/alert-rules/" + rule.json().path("id").asText(),
            "{\"threshold\":5}",
            "application/merge-patch+json");
    assertThat(changedRule.status()).as(changedRule.raw().body()).isEqualTo(200);
    assertFits(changedRule.json(), schema("AlertRule"), "changed alert rule");
    Response changedChannel =
        node.send(
            "PATCH",
            "/api/v1/channels/" + channel,
            "{\"headers\":{\"X-Team\":\"ops\"}}",
            "application/merge-patch+json");
    assertThat(changedChannel.status()).as(changedChannel.raw().body()).isEqualTo(200);
    assertFits(changedChannel.json(), schema("Channel"), "changed channel");
    assertFits(
        node.get("/api/v1/incidents?state=open").json(), schema("IncidentPage"), "incidents");
    assertFits(
        node.get("/api/v1/alert-rules?schedule_id=" + schedule).json(),
        schema("AlertRulePage"),
        "alert rules");
    Response token = node.post("/api/v1/schedules/" + schedule + "/checkin-token", null);
    assertThat(token.status()).isEqualTo(201);
    assertFits(token.json(), schema("CheckinToken"), "check-in token");
    Response ping =
        node.as(null).post("/api/v1/checkins/" + token.json().path("token").asText(), null);
    assertThat(ping.status()).isEqualTo(200);
    assertFits(ping.json(), schema("CheckinPing"), "ping");
  }

  @Test
  void theRealNodeListFitsItsSchema() {
    Response list = node.get("/api/v1/nodes");
    assertThat(list.status()).isEqualTo(200);
    assertFits(list.json(), schema("NodeList"), "node list");
    String id = list.json().path("items").get(0).path("id").asText();
    Response one = node.get("/api/v1/nodes/" + id);
    assertThat(one.status()).isEqualTo(200);
    assertFits(one.json(), schema("Node"), "node");
  }

  @Test
  void realHealthAnswersFitTheirSchemas() {
    Response live = node.get("/health/live");
    assertThat(live.status()).isEqualTo(200);
    assertFits(live.json(), schema("Health"), "liveness");
    Response ready = node.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertFits(ready.json(), schema("Readiness"), "readiness");
  }

  // ---- the document ----

  private interface OperationVisitor {
    void visit(String method, String path, JsonNode operation);
  }

  private static void forEachOperation(OperationVisitor visitor) {
    doc.path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          if (METHODS.contains(op.getKey())) {
                            visitor.visit(op.getKey(), path.getKey(), op.getValue());
                          }
                        }));
  }

  private static Set<String> documentedOperations() {
    Set<String> operations = new TreeSet<>();
    forEachOperation(
        (method, path, operation) -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path));
    return operations;
  }

  private static JsonNode schema(String name) {
    JsonNode schema = doc.path("components").path("schemas").path(name);
    assertThat(schema.isMissingNode()).as("schema " + name + " is documented").isFalse();
    return schema;
  }

  private static JsonNode resolve(JsonNode node) {
    while (node.has("$ref")) {
      String ref = node.get("$ref").asText();
      assertThat(ref).startsWith("#/");
      node = doc.at(ref.substring(1));
      assertThat(node.isMissingNode()).as(ref).isFalse();
    }
    return node;
  }

  private static void collectRefs(JsonNode node, List<String> broken) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null
          && (!ref.asText().startsWith("#/")
              || doc.at(ref.asText().substring(1)).isMissingNode())) {
        broken.add(ref.asText());
      }
      node.forEach(child -> collectRefs(child, broken));
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, broken));
    }
  }

  /** Checks every media type's example(s) against its schema, anywhere under {@code node}. */
  private static void checkMediaExamples(JsonNode node, String where, List<String> problems) {
    if (node.isObject()) {
      if (node.has("schema") && (node.has("example") || node.has("examples"))) {
        if (node.has("example")) {
          fits(node.get("example"), node.get("schema"), where, problems);
        }
        node.path("examples")
            .properties()
            .forEach(
                e ->
                    fits(
                        e.getValue().path("value"),
                        node.get("schema"),
                        where + " example " + e.getKey(),
                        problems));
      }
      node.properties()
          .forEach(e -> checkMediaExamples(e.getValue(), where + "/" + e.getKey(), problems));
    }
  }

  // ---- a small JSON Schema checker: enough of 2020-12 for the shapes this document uses ----

  private static void assertFits(JsonNode value, JsonNode schema, String what) {
    List<String> problems = new ArrayList<>();
    fits(value, schema, what, problems);
    assertThat(problems).as(what + ": " + value).isEmpty();
  }

  private static void fits(JsonNode value, JsonNode schema, String at, List<String> problems) {
    schema = resolve(schema);
    if (schema.has("const") && !schema.get("const").equals(value)) {
      problems.add(at + ": must be " + schema.get("const") + ", got " + value);
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.get("enum")) {
        listed |= allowed.equals(value);
      }
      if (!listed) {
        problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
      }
    }
    if (schema.has("type") && !hasType(value, schema.get("type"))) {
      problems.add(at + ": " + value.getNodeType() + " is not of type " + schema.get("type"));
      return;
    }
    if (schema.has("oneOf")) {
      oneOf(value, schema, at, problems);
    }
    if (value.isTextual()) {
      text(value.textValue(), schema, at, problems);
    }
    if (value.isNumber()) {
      if (schema.has("minimum")
          && value.decimalValue().compareTo(schema.get("minimum").decimalValue()) < 0) {
        problems.add(at + ": " + value + " is below " + schema.get("minimum"));
      }
      if (schema.has("maximum")
          && value.decimalValue().compareTo(schema.get("maximum").decimalValue()) > 0) {
        problems.add(at + ": " + value + " is above " + schema.get("maximum"));
      }
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        fits(value.get(i), schema.get("items"), at + "[" + i + "]", problems);
      }
    }
    if (value.isObject()) {
      object(value, schema, at, problems);
    }
  }

  private static void oneOf(JsonNode value, JsonNode schema, String at, List<String> problems) {
    JsonNode discriminator = schema.path("discriminator");
    if (discriminator.has("propertyName")) {
      String tag = value.path(discriminator.get("propertyName").asText()).asText();
      JsonNode target = discriminator.path("mapping").path(tag);
      if (target.isMissingNode()) {
        problems.add(at + ": " + tag + " is not a known " + discriminator.get("propertyName"));
      } else {
        fits(
            value,
            JsonNodeFactory.instance.objectNode().put("$ref", target.asText()),
            at,
            problems);
      }
      return;
    }
    int matches = 0;
    for (JsonNode option : schema.get("oneOf")) {
      List<String> optionProblems = new ArrayList<>();
      fits(value, option, at, optionProblems);
      matches += optionProblems.isEmpty() ? 1 : 0;
    }
    if (matches != 1) {
      problems.add(at + ": matches " + matches + " of the oneOf options instead of one");
    }
  }

  private static void object(JsonNode value, JsonNode schema, String at, List<String> problems) {
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String fieldAt = at + "." + field.getKey();
      if (schema.has("propertyNames")) {
        text(field.getKey(), schema.get("propertyNames"), fieldAt + " (name)", problems);
      }
      if (properties.has(field.getKey())) {
        fits(field.getValue(), properties.get(field.getKey()), fieldAt, problems);
      } else if (additional.isBoolean() && !additional.booleanValue()) {
        problems.add(fieldAt + ": is not declared in the schema");
      } else if (additional.isObject()) {
        fits(field.getValue(), additional, fieldAt, problems);
      }
    }
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        problems.add(at + ": required property " + required.asText() + " is missing");
      }
    }
    if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asInt()) {
      problems.add(at + ": more than " + schema.get("maxProperties") + " properties");
    }
  }

  private static void text(String text, JsonNode schema, String at, List<String> problems) {
    int length = text.codePointCount(0, text.length());
    if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
      problems.add(at + ": longer than " + schema.get("maxLength"));
    }
    if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
      problems.add(at + ": shorter than " + schema.get("minLength"));
    }
    if (schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
      problems.add(at + ": '" + text + "' does not match " + schema.get("pattern"));
    }
    switch (schema.path("format").asText()) {
      case "uuid" -> {
        try {
          if (!UUID.fromString(text).toString().equals(text)) {
            problems.add(at + ": '" + text + "' is not a lower-case UUID");
          }
        } catch (IllegalArgumentException e) {
          problems.add(at + ": '" + text + "' is not a UUID");
        }
      }
      case "date-time" -> {
        try {
          OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
          problems.add(at + ": '" + text + "' is not an RFC 3339 date-time");
        }
      }
      default -> {}
    }
  }

  private static boolean hasType(JsonNode value, JsonNode type) {
    if (type.isArray()) {
      for (JsonNode one : type) {
        if (hasType(value, one)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> false;
    };
  }

  // ---- requests ----

  private static String cronSchedule(String name) {
    return "{\"name\":\""
        + name
        + "\",\"description\":\"Builds the daily sales report\","
        + "\"trigger\":{\"type\":\"cron\",\"expr\":\"0 9 * * 1-5\",\"timezone\":\"Asia/Shanghai\"},"
        + "\"target\":{\"url\":\""
        + DEAD_TARGET
        + "\",\"headers\":{\"Authorization\":\"Bearer t\"}},\"payload\":{}}";
  }

  private static String withPolicy(String schedule, String retryPolicy) {
    return schedule.substring(0, schedule.length() - 1) + ",\"retry_policy\":" + retryPolicy + "}";
  }

  private static String minimalBody(String method, String path) {
    if (path.endsWith("/complete")) {
      return "{\"status\":\"success\"}";
    }
    return method.equals("patch")
        ? "{\"enabled\":false}"
        : cronSchedule("routed-" + UUID.randomUUID());
  }

  private static final HttpClient CALLBACK_CLIENT = HttpClient.newHttpClient();

  /** A POST of an async target's report, with an Authorization header when one is given. */
  private static Response callback(String path, String body, Optional<String> authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(node.url(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    authorization.ifPresent(value -> request.header("Authorization", value));
    try {
      HttpResponse<String> response =
          CALLBACK_CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json =
          response.body().isEmpty() ? null : new ObjectMapper().readTree(response.body());
      return new Response(response.statusCode(), response, json);
    } catch (IOException e) {
      throw new IllegalStateException("POST " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
