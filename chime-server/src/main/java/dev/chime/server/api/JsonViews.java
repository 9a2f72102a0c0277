package dev.chime.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.chime.run.Run;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleJson;
import dev.chime.store.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The JSON the API answers with: snake_case fields, instants in ISO-8601 UTC. */
final class JsonViews {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonViews() {}

  static ObjectNode schedule(Schedule schedule) {
    ObjectNode node = NODES.objectNode();
    node.put("id", schedule.id().toString());
    node.setAll(ScheduleJson.specJson(schedule.spec()));
    instant(node, "next_fire_at", schedule.nextFireAt());
    instant(node, "last_fire_at", schedule.lastFireAt());
    node.put("consecutive_failures", schedule.health().consecutiveFailures());
    text(node, "last_status", schedule.health().lastStatus());
    text(node, "disabled_reason", schedule.health().disabledReason());
    node.put("created_at", schedule.createdAt().toString());
    node.put("updated_at", schedule.updatedAt().toString());
    return node;
  }

  /** The editable part of a schedule: what a PATCH is merged onto. */
  static ObjectNode editable(Schedule schedule) {
    ObjectNode node = schedule(schedule);
    node.retain(ScheduleJson.SPEC_FIELDS);
    // a patch merges into the payload, so here it is a tree
    node.set("payload", ScheduleJson.parse(schedule.spec().payloadJson()));
    return node;
  }

  static ObjectNode run(Run run) {
    ObjectNode node = NODES.objectNode();
    node.put("id", run.id().toString());
    node.put("schedule_id", run.scheduleId().toString());
    node.put("run_key", run.runKey());
    node.put("attempt", run.attempt());
    node.put("origin", run.origin().wireName());
    node.put("status", run.status().wireName());
    node.put("scheduled_at", run.scheduledAt().toString());
    instant(node, "started_at", run.startedAt());
    instant(node, "finished_at", run.finishedAt());
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
    text(node, "error_code", run.errorCode());
    text(node, "error_message", run.errorMessage());
    text(node, "response_excerpt", run.responseExcerpt());
    if (run.resultJson().isPresent()) {
      node.putRawValue("result", new RawValue(run.resultJson().get()));
    } else {
      node.putNull("result");
    }
    instant(node, "due_at", run.dueAt());
    node.put("trace_id", run.traceId());
    node.put("created_at", run.createdAt().toString());
    return node;
  }

  static <T> ObjectNode page(Page<T> page, Function<T, JsonNode> view) {
    ObjectNode node = NODES.objectNode();
    List<JsonNode> items = page.items().stream().map(view).toList();
    node.putArray("items").addAll(items);
    text(node, "next_cursor", page.nextCursor());
    return node;
  }

  private static void instant(ObjectNode node, String field, Optional<Instant> value) {
    if (value.isPresent()) {
      node.put(field, value.get().toString());
    } else {
      node.putNull(field);
    }
  }

  private static void text(ObjectNode node, String field, Optional<String> value) {
    if (value.isPresent()) {
      node.put(field, value.get());
    } else {
      node.putNull(field);
    }
  }
}
