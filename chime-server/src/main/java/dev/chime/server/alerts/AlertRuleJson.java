package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.AlertRule;
import dev.chime.alert.RuleKind;
import dev.chime.schedule.JsonFields;
import dev.chime.schedule.ScheduleJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An alert rule as the API reads and shows it. Each kind has its own field for its threshold:
 * {@code failures} and {@code recovered} a {@code threshold} of failed runs in a row, {@code stuck}
 * an {@code after_s} past the run's deadline, {@code result} an {@code on} of {@code success},
 * {@code failure} or {@code both}, {@code late} an {@code above_ms} for {@code for_s}, {@code
 * drift} a {@code threshold} of instants not sent in {@code window_s}.
 */
public final class AlertRuleJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Map<RuleKind, Set<String>> FIELDS =
      Map.of(
          RuleKind.FAILURES, Set.of("threshold"),
          RuleKind.RECOVERED, Set.of("threshold"),
          RuleKind.STUCK, Set.of("after_s"),
          RuleKind.RESULT, Set.of("on"),
          RuleKind.STALLED, Set.of("after_s"),
          RuleKind.LATE, Set.of("above_ms", "for_s"),
          RuleKind.DRIFT, Set.of("threshold", "window_s"));
  private static final Set<String> COMMON = Set.of("kind", "schedule_id", "channels", "enabled");

  private AlertRuleJson() {}

  /** A new rule of {@code tenantId} from a request body; every problem is reported at once. */
  public static AlertRule read(JsonNode body, String tenantId, Instant now) {
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    if (!body.isObject()) {
      errors.add(
          "body",
          "must be an object such as {\"kind\":\"failures\",\"threshold\":3,\"channels\":[\"<channel id>\"]}");
      errors.throwIfAny();
    }
    String kindText = JsonFields.requiredText(body, "kind", "kind", 32, errors);
    Optional<RuleKind> kind = kindText == null ? Optional.empty() : RuleKind.fromWire(kindText);
    if (kindText != null && kind.isEmpty()) {
      errors.add(
          "kind",
          "must be failures, recovered, stuck, result, stalled, late or drift, got '"
              + kindText
              + "'");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!COMMON.contains(field) && (kind.isEmpty() || !FIELDS.get(kind.get()).contains(field))) {
        errors.add(
            field,
            "unknown field"
                + kind.map(
                        k ->
                            " for a "
                                + k.wireName()
                                + " rule; it has "
                                + String.join(", ", fields(k)))
                    .orElse(""));
      }
    }
    Optional<UUID> schedule = Optional.empty();
    String scheduleText = JsonFields.optionalText(body, "schedule_id", "schedule_id", 36, errors);
    if (scheduleText != null) {
      schedule = uuid(scheduleText, "schedule_id", errors);
    }
    List<UUID> channels = channels(body.get("channels"), errors);
    boolean enabled = true;
    JsonNode enabledNode = body.get("enabled");
    if (enabledNode != null && !enabledNode.isBoolean()) {
      errors.add("enabled", "must be true or false");
    } else if (enabledNode != null) {
      enabled = enabledNode.booleanValue();
    }
    int threshold = 0;
    ObjectNode params = NODES.objectNode();
    if (kind.isPresent()) {
      switch (kind.get()) {
        case FAILURES ->
            threshold =
                (int) JsonFields.wholeNumber(body, "threshold", "threshold", 1, 1000, 3, errors);
        case RECOVERED ->
            threshold =
                (int) JsonFields.wholeNumber(body, "threshold", "threshold", 1, 1000, 1, errors);
        case STUCK ->
            threshold =
                (int) JsonFields.wholeNumber(body, "after_s", "after_s", 0, 86_400, 60, errors);
        case STALLED -> {
          threshold =
              (int) JsonFields.wholeNumber(body, "after_s", "after_s", 1, 86_400, 30, errors);
          if (body.hasNonNull("schedule_id")) {
            errors.add("schedule_id", "a stalled rule watches the cluster's nodes, not a schedule");
          }
        }
        case LATE -> {
          threshold =
              (int)
                  JsonFields.wholeNumber(body, "above_ms", "above_ms", 1, 3_600_000, 1000, errors);
          params.put(
              "for_s", JsonFields.wholeNumber(body, "for_s", "for_s", 0, 86_400, 300, errors));
        }
        case DRIFT -> {
          threshold =
              (int) JsonFields.wholeNumber(body, "threshold", "threshold", 1, 100_000, 1, errors);
          params.put(
              "window_s",
              JsonFields.wholeNumber(
                  body, "window_s", "window_s", 60, DriftWindow.MAX_SECONDS, 3600, errors));
        }
        case RESULT -> {
          String on =
              Optional.ofNullable(JsonFields.optionalText(body, "on", "on", 16, errors))
                  .orElse("both");
          if (!ResultFilter.VALUES.contains(on)) {
            errors.add("on", "must be success, failure or both, got '" + on + "'");
          }
          params.put("on", on);
        }
      }
    }
    errors.throwIfAny();
    return new AlertRule(
        UUID.randomUUID(),
        tenantId,
        schedule,
        kind.get(),
        threshold,
        params.toString(),
        channels,
        enabled,
        now,
        now);
  }

  /**
   * {@code current} changed by a merge patch (RFC 7396) of its fields, read and checked as a new
   * rule is; its kind and its schedule stay (make a new rule for another).
   */
  public static AlertRule patch(AlertRule current, JsonNode patch, Instant now) {
    if (patch == null || !patch.isObject()) {
      throw new dev.chime.InvalidInputException(
          "body", "a merge patch must be a JSON object of the fields to change");
    }
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    ObjectNode base = view(current);
    for (String field : List.of("kind", "schedule_id")) {
      if (patch.has(field) && !patch.get(field).equals(base.get(field))) {
        errors.add(field, "cannot be changed; make a new rule and delete this one");
      }
    }
    for (String field : List.of("id", "created_at", "updated_at")) {
      if (patch.has(field)) {
        errors.add(field, "is kept by Chime and cannot be changed");
      }
      base.remove(field);
    }
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getValue().isNull() && !field.getKey().equals("schedule_id")) {
        errors.add(field.getKey(), "cannot be removed; send the value wanted");
      }
    }
    errors.throwIfAny();
    ObjectNode merged = (ObjectNode) JsonFields.mergePatch(base, patch);
    if (current.scheduleId().isEmpty()) {
      merged.remove("schedule_id");
    }
    AlertRule read = read(merged, current.tenantId(), now);
    return new AlertRule(
        current.id(),
        current.tenantId(),
        current.scheduleId(),
        current.kind(),
        read.threshold(),
        read.paramsJson(),
        read.channelIds(),
        read.enabled(),
        current.createdAt(),
        now);
  }

  private static List<String> fields(RuleKind kind) {
    List<String> all = new ArrayList<>(COMMON);
    all.addAll(FIELDS.get(kind));
    all.sort(null);
    return all;
  }

  private static List<UUID> channels(JsonNode node, ScheduleJson.Errors errors) {
    if (node == null || !node.isArray() || node.isEmpty() || node.size() > 10) {
      errors.add("channels", "must be a list of 1 to 10 channel ids");
      return List.of();
    }
    Set<UUID> ids = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        errors.add("channels[" + i + "]", "must be a channel id");
        continue;
      }
      uuid(item.textValue(), "channels[" + i + "]", errors).ifPresent(ids::add);
    }
    return List.copyOf(ids);
  }

  private static Optional<UUID> uuid(String text, String field, ScheduleJson.Errors errors) {
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equalsIgnoreCase(text)) {
        return Optional.of(id);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    errors.add(field, "must be an id such as 3f2b9c1e-6f0a-4a57-9c1d-2b8f5e7a9d10");
    return Optional.empty();
  }

  public static ObjectNode view(AlertRule rule) {
    ObjectNode node = NODES.objectNode();
    node.put("id", rule.id().toString());
    node.put("kind", rule.kind().wireName());
    if (rule.scheduleId().isPresent()) {
      node.put("schedule_id", rule.scheduleId().get().toString());
    } else {
      node.putNull("schedule_id");
    }
    switch (rule.kind()) {
      case FAILURES, RECOVERED -> node.put("threshold", rule.threshold());
      case STUCK, STALLED -> node.put("after_s", rule.threshold());
      case RESULT -> node.put("on", ResultFilter.of(rule));
      case LATE -> {
        node.put("above_ms", rule.threshold());
        node.put("for_s", LateFilter.forSeconds(rule));
      }
      case DRIFT -> {
        node.put("threshold", rule.threshold());
        node.put("window_s", DriftWindow.of(rule).toSeconds());
      }
    }
    var channels = node.putArray("channels");
    rule.channelIds().forEach(id -> channels.add(id.toString()));
    node.put("enabled", rule.enabled());
    node.put("created_at", rule.createdAt().toString());
    node.put("updated_at", rule.updatedAt().toString());
    return node;
  }

  public static String record(AlertRule rule) {
    return view(rule).toString();
  }
}
