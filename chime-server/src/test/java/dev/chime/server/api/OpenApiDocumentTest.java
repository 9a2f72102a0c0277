package dev.chime.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
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
          "GET /api/v1/schedules/{id}",
          "PUT /api/v1/schedules/{id}",
          "PATCH /api/v1/schedules/{id}",
          "DELETE /api/v1/schedules/{id}",
          "POST /api/v1/schedules/{id}/enable",
          "POST /api/v1/schedules/{id}/disable",
          "POST /api/v1/schedules/{id}/run-now",
          "GET /api/v1/schedules/{id}/runs",
          "GET /api/v1/runs/{id}",
          "GET /api/v1/cron/preview",
          "GET /api/v1/openapi.json",
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
          String concrete = path.replace("{id}", UUID.randomUUID().toString());
          String body = operation.has("requestBody") ? minimalBody(method) : null;
          String contentType =
              method.equals("patch") ? "application/merge-patch+json" : "application/json";
          Response response =
              node.send(method.toUpperCase(Locale.ROOT), concrete, body, contentType);

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
    Set<String> routed = node.node().api().routes();
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

    Response runs = node.get("/api/v1/schedules/" + id + "/runs?limit=10");
    assertThat(runs.status()).isEqualTo(200);
    assertThat(runs.json().path("items").size()).isEqualTo(1);
    assertFits(runs.json(), schema("RunPage"), "page of runs");
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

    String big = "\"" + "x".repeat(70_000) + "\"";
    Response tooLarge =
        node.post(
            "/api/v1/schedules",
            cronSchedule("big-" + UUID.randomUUID())
                .replace("\"payload\":{}", "\"payload\":" + big));
    assertThat(tooLarge.status()).isEqualTo(413);
    assertFits(tooLarge.json(), schema("Problem"), "payload too large");
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

  private static String minimalBody(String method) {
    return method.equals("patch")
        ? "{\"enabled\":false}"
        : cronSchedule("routed-" + UUID.randomUUID());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
