package dev.chime.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/** What the API answers (schedules, runs, pages, previews, bulk results) to and from JSON. */
final class AnswerCodec {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AnswerCodec() {}

  static Schedule schedule(JsonNode node) {
    ScheduleSpec spec = SpecCodec.read(node, false);
    return new Schedule(
        UUID.fromString(node.path("id").asText()),
        spec,
        instant(node, "next_fire_at"),
        instant(node, "last_fire_at"),
        node.path("consecutive_failures").asInt(0),
        text(node, "last_status"),
        text(node, "disabled_reason"),
        Instant.parse(node.path("created_at").asText()),
        Instant.parse(node.path("updated_at").asText()));
  }

  static ObjectNode write(Schedule schedule) {
    ObjectNode node = NODES.objectNode();
    node.put("id", schedule.id().toString());
    node.setAll(SpecCodec.write(schedule.spec(), false));
    put(node, "next_fire_at", schedule.nextFireAt().map(Instant::toString));
    put(node, "last_fire_at", schedule.lastFireAt().map(Instant::toString));
    node.put("consecutive_failures", schedule.consecutiveFailures());
    put(node, "last_status", schedule.lastStatus());
    put(node, "disabled_reason", schedule.disabledReason());
    node.put("created_at", schedule.createdAt().toString());
    node.put("updated_at", schedule.updatedAt().toString());
    return node;
  }

  static Run run(JsonNode node) {
    JsonNode duration = node.path("duration_ms");
    JsonNode http = node.path("http_status");
    JsonNode result = node.path("result");
    return new Run(
        UUID.fromString(node.path("id").asText()),
        UUID.fromString(node.path("schedule_id").asText()),
        node.path("run_key").asText(),
        node.path("attempt").asInt(1),
        node.path("origin").asText("schedule"),
        RunStatus.fromWire(node.path("status").asText()),
        Instant.parse(node.path("scheduled_at").asText()),
        instant(node, "started_at"),
        instant(node, "finished_at"),
        duration.isNumber() ? OptionalLong.of(duration.longValue()) : OptionalLong.empty(),
        http.isNumber() ? OptionalInt.of(http.intValue()) : OptionalInt.empty(),
        text(node, "error_code"),
        text(node, "error_message"),
        text(node, "response_excerpt"),
        result.isMissingNode() || result.isNull() ? Optional.empty() : Optional.of(result),
        instant(node, "due_at"),
        node.path("trace_id").asText(""),
        Instant.parse(node.path("created_at").asText()));
  }

  static ObjectNode write(Run run) {
    ObjectNode node = NODES.objectNode();
    node.put("id", run.id().toString());
    node.put("schedule_id", run.scheduleId().toString());
    node.put("run_key", run.runKey());
    node.put("attempt", run.attempt());
    node.put("origin", run.origin());
    node.put("status", run.status().wireName());
    node.put("scheduled_at", run.scheduledAt().toString());
    put(node, "started_at", run.startedAt().map(Instant::toString));
    put(node, "finished_at", run.finishedAt().map(Instant::toString));
    if (run.durationMs().isPresent()) {
      node.put("duration_ms", run.durationMs().getAsLong());
    } else {
      node.putNull("duration_ms");
    }
    if (run.httpStatus().isPresent()) {
      node.put("http_status", run.httpStatus().getAsInt());
    } else {
      node.putNull("http_status");
    }
    put(node, "error_code", run.errorCode());
    put(node, "error_message", run.errorMessage());
    put(node, "response_excerpt", run.responseExcerpt());
    node.set("result", run.result().orElse(NODES.nullNode()));
    put(node, "due_at", run.dueAt().map(Instant::toString));
    node.put("trace_id", run.traceId());
    node.put("created_at", run.createdAt().toString());
    return node;
  }

  static <T> Page<T> page(JsonNode node, Function<JsonNode, T> item) {
    List<T> items = new ArrayList<>();
    node.path("items").forEach(each -> items.add(item.apply(each)));
    return new Page<>(items, text(node, "next_cursor"));
  }

  static CronPreview preview(JsonNode node) {
    List<CronPreview.Fire> fires = new ArrayList<>();
    node.path("fires")
        .forEach(
            fire ->
                fires.add(
                    new CronPreview.Fire(
                        Instant.parse(fire.path("utc").asText()),
                        OffsetDateTime.parse(fire.path("local").asText()))));
    return new CronPreview(
        node.path("expr").asText(),
        node.path("timezone").asText(),
        node.path("description").asText(),
        fires);
  }

  static ObjectNode write(CronPreview preview) {
    ObjectNode node = NODES.objectNode();
    node.put("expr", preview.expr());
    node.put("timezone", preview.timezone());
    node.put("description", preview.description());
    ArrayNode fires = node.putArray("fires");
    for (CronPreview.Fire fire : preview.fires()) {
      fires.addObject().put("utc", fire.utc().toString()).put("local", fire.local().toString());
    }
    return node;
  }

  static BulkResult bulk(JsonNode node) {
    List<BulkResult.Item> items = new ArrayList<>();
    node.path("results")
        .forEach(
            item ->
                items.add(
                    new BulkResult.Item(
                        UUID.fromString(item.path("id").asText()),
                        item.path("result").asText(),
                        text(item, "detail"))));
    JsonNode counts = node.path("counts");
    return new BulkResult(
        node.path("action").asText(),
        counts.path("done").asInt(),
        counts.path("unchanged").asInt(),
        counts.path("not_found").asInt(),
        counts.path("refused").asInt(),
        items);
  }

  static ObjectNode write(BulkResult result) {
    ObjectNode node = NODES.objectNode();
    node.put("action", result.action());
    node.putObject("counts")
        .put("done", result.done())
        .put("unchanged", result.unchanged())
        .put("not_found", result.notFound())
        .put("refused", result.refused());
    ArrayNode items = node.putArray("results");
    for (BulkResult.Item item : result.results()) {
      ObjectNode each = items.addObject().put("id", item.id().toString());
      each.put("result", item.result());
      item.detail().ifPresent(detail -> each.put("detail", detail));
    }
    return node;
  }

  static ObjectNode write(BulkRequest request) {
    ObjectNode node = NODES.objectNode();
    node.put("action", request.action().wireName());
    if (!request.ids().isEmpty()) {
      ArrayNode ids = node.putArray("ids");
      request.ids().forEach(id -> ids.add(id.toString()));
    }
    request
        .selector()
        .ifPresent(
            query -> {
              ObjectNode selector = node.putObject("selector");
              query.label().ifPresent(label -> selector.put("label", label));
              query.enabled().ifPresent(enabled -> selector.put("enabled", enabled));
              query.text().ifPresent(text -> selector.put("q", text));
              query.lastStatus().ifPresent(status -> selector.put("last_status", status));
            });
    return node;
  }

  static TokenInfo token(JsonNode node) {
    List<String> scopes = new ArrayList<>();
    node.path("scopes").forEach(scope -> scopes.add(scope.asText()));
    return new TokenInfo(
        node.path("tenant_id").asText(),
        node.path("name").asText(),
        scopes,
        node.path("state").asText());
  }

  static Problem problem(int status, JsonNode body, Optional<Duration> retryAfter) {
    List<FieldError> errors = new ArrayList<>();
    body.path("errors")
        .forEach(
            error ->
                errors.add(
                    new FieldError(error.path("field").asText(), error.path("reason").asText())));
    Optional<Duration> wait =
        retryAfter.or(
            () -> text(body, "retry_after_s").map(s -> Duration.ofSeconds(Long.parseLong(s))));
    return new Problem(
        status,
        body.path("type").asText("about:blank"),
        body.path("title").asText("HTTP " + status),
        body.path("detail").asText(""),
        body.path("instance").asText(""),
        text(body, "field"),
        errors,
        wait,
        body);
  }

  private static Optional<Instant> instant(JsonNode node, String name) {
    return text(node, name).map(Instant::parse);
  }

  private static Optional<String> text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  private static void put(ObjectNode node, String name, Optional<String> value) {
    if (value.isPresent()) {
      node.put(name, value.get());
    } else {
      node.putNull(name);
    }
  }
}
