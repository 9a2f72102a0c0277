package dev.chime.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.InvalidInputException;
import dev.chime.InvalidInputException.FieldError;
import dev.chime.timing.CronExpression;
import dev.chime.timing.CronSyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes the JSON shape of a schedule's spec. Reading checks structure (types, unknown
 * fields, cron syntax, zones, URLs) and names every offending field; rules that depend on limits or
 * on the time are in {@link ScheduleRules}.
 */
public final class ScheduleJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The fields a user sets on a schedule: what a create or a full update carries. */
  public static final Set<String> SPEC_FIELDS =
      Set.of(
          "name",
          "description",
          "enabled",
          "trigger",
          "target",
          "payload",
          "labels",
          PolicyJson.RETRY_POLICY,
          PolicyJson.CATCHUP_WINDOW_S,
          PolicyJson.MAX_CONCURRENCY,
          PolicyJson.OVERLAP_POLICY,
          PolicyJson.AUTO_DISABLE_AFTER);

  /** Fields a client may echo back from a GET; they are ignored on input. */
  private static final Set<String> READ_ONLY_FIELDS =
      Set.of(
          "id",
          "tenant_id",
          "next_fire_at",
          "last_fire_at",
          "created_at",
          "updated_at",
          "consecutive_failures",
          "last_status",
          "disabled_reason");

  /** Fields whose value may be null: no payload, and no auto-disable. */
  private static final Set<String> NULLABLE_FIELDS =
      Set.of("payload", PolicyJson.AUTO_DISABLE_AFTER);

  /** Fields that are objects of fields, none of which may be null. */
  private static final Set<String> OBJECT_FIELDS =
      Set.of("trigger", "target", PolicyJson.RETRY_POLICY);

  /** The latest year a {@code once} trigger may name: the last every database stores. */
  public static final int MAX_YEAR = 9999;

  public static final int NAME_MAX = 200;
  public static final int DESCRIPTION_MAX = 2000;
  public static final int CRON_MAX = 200;

  private ScheduleJson() {}

  /** Reads a whole schedule spec from a request body; throws with every field that is wrong. */
  public static ScheduleSpec readSpec(JsonNode body) {
    Errors errors = new Errors();
    if (body == null || !body.isObject()) {
      throw new InvalidInputException("body", "must be a JSON object");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!SPEC_FIELDS.contains(field) && !READ_ONLY_FIELDS.contains(field)) {
        errors.add(
            field,
            "unknown field; a schedule has " + String.join(", ", JsonFields.sorted(SPEC_FIELDS)));
      }
    }
    refuseNulls(body, false, errors);
    String name = JsonFields.requiredText(body, "name", "name", NAME_MAX, errors);
    if (name != null && name.isBlank()) {
      errors.add("name", "must not be blank");
    }
    String description =
        JsonFields.optionalMultilineText(
            body, "description", "description", DESCRIPTION_MAX, errors);
    boolean enabled = true;
    JsonNode enabledNode = body.get("enabled");
    if (enabledNode != null && !enabledNode.isNull()) {
      if (enabledNode.isBoolean()) {
        enabled = enabledNode.booleanValue();
      } else {
        errors.add("enabled", "must be true or false");
      }
    }
    Trigger trigger = null;
    JsonNode triggerNode = body.get("trigger");
    if (triggerNode == null || triggerNode.isNull()) {
      errors.add("trigger", "is required");
    } else {
      trigger = readTrigger(triggerNode, "trigger", errors);
    }
    HttpTarget target = null;
    JsonNode targetNode = body.get("target");
    if (targetNode == null || targetNode.isNull()) {
      errors.add("target", "is required");
    } else {
      target = TargetJson.read(targetNode, "target", errors);
    }
    JsonNode payload = body.get("payload");
    if (payload != null) {
      checkUnicode(payload, "payload", errors);
    }
    String payloadJson = payload == null ? "null" : write(payload);
    RunPolicy policy = PolicyJson.read(body, errors);
    var labels = Labels.read(body.get("labels"), "labels", errors);
    errors.throwIfAny();
    return new ScheduleSpec(
        name,
        description == null ? "" : description,
        enabled,
        trigger,
        target,
        payloadJson,
        policy,
        labels);
  }

  /** Reads a trigger; the {@code path} names it in errors. */
  public static Trigger readTrigger(JsonNode node, String path, Errors errors) {
    if (!node.isObject()) {
      errors.add(path, "must be an object with a type: cron, interval or once");
      return null;
    }
    String type = JsonFields.requiredText(node, "type", path + ".type", 20, errors);
    if (type == null) {
      return null;
    }
    switch (type) {
      case "cron" -> {
        JsonFields.onlyFields(node, path, errors, "type", "expr", "timezone");
        String expr = JsonFields.requiredText(node, "expr", path + ".expr", CRON_MAX, errors);
        String zoneText =
            JsonFields.optionalText(node, "timezone", path + ".timezone", 100, errors);
        ZoneId zone = ZoneId.of("UTC");
        if (zoneText != null) {
          try {
            zone = ZoneId.of(zoneText);
          } catch (DateTimeException e) {
            errors.add(
                path + ".timezone",
                "unknown time zone '"
                    + zoneText
                    + "'; use an IANA name such as Europe/Berlin or UTC");
            zone = null;
          }
        }
        CronExpression expression = null;
        if (expr != null) {
          try {
            expression = CronExpression.parse(expr);
          } catch (CronSyntaxException e) {
            errors.add(path + ".expr", e.getMessage());
          }
        }
        return expression == null || zone == null ? null : new CronTrigger(expression, zone);
      }
      case "interval" -> {
        JsonFields.onlyFields(node, path, errors, "type", "seconds");
        JsonNode seconds = node.get("seconds");
        if (seconds == null || seconds.isNull()) {
          errors.add(path + ".seconds", "is required");
          return null;
        }
        if (!seconds.canConvertToLong() || !seconds.isIntegralNumber()) {
          errors.add(path + ".seconds", "must be a whole number of seconds");
          return null;
        }
        long value = seconds.longValue();
        if (value < 1 || value > 366L * 24 * 3600) {
          errors.add(path + ".seconds", "must be between 1 and 31622400 (366 days), got " + value);
          return null;
        }
        return new IntervalTrigger(Duration.ofSeconds(value));
      }
      case "once" -> {
        JsonFields.onlyFields(node, path, errors, "type", "at");
        String at = JsonFields.requiredText(node, "at", path + ".at", 64, errors);
        if (at == null) {
          return null;
        }
        Instant time = instant(at, path + ".at", errors);
        return time == null ? null : new OnceTrigger(time);
      }
      default -> {
        errors.add(path + ".type", "must be cron, interval or once; got '" + type + "'");
        return null;
      }
    }
  }

  /**
   * An ISO-8601 instant with an offset, in the year {@link #MAX_YEAR} or before (Chime's stored
   * rules aside); null, with the error added, when the text is not one.
   */
  public static Instant instant(String text, String path, Errors errors) {
    try {
      OffsetDateTime time = OffsetDateTime.parse(text);
      int year = time.atZoneSameInstant(ZoneOffset.UTC).getYear();
      if (errors.checksInput() && year > MAX_YEAR) {
        errors.add(path, "must be in the year " + MAX_YEAR + " or before; got year " + year);
        return null;
      }
      return time.toInstant();
    } catch (DateTimeParseException e) {
      errors.add(
          path,
          "must be an ISO-8601 instant with an offset, such as 2026-12-01T01:30:00Z; got '"
              + text
              + "'");
      return null;
    }
  }

  /**
   * Refuses null where a field cannot be null: everywhere but {@code payload}, {@code
   * auto_disable_after} and the read-only fields. In a merge patch ({@code mergePatch}) null
   * removes a member, which Chime allows only for those fields, a header of the target, and inside
   * the payload, so that {@code {"enabled": null}} is reported instead of resetting a field.
   */
  public static void refuseNulls(JsonNode doc, boolean mergePatch, Errors errors) {
    if (!doc.isObject()) {
      return;
    }
    String reason =
        mergePatch
            ? "cannot be null: in a merge patch null removes a field, and this one cannot be"
                + " removed; leave it out to keep its value, or give a new one"
            : "cannot be null; leave the field out to take its default, or give a value";
    for (Map.Entry<String, JsonNode> entry : doc.properties()) {
      String field = entry.getKey();
      JsonNode value = entry.getValue();
      if (value.isNull() && !NULLABLE_FIELDS.contains(field) && !READ_ONLY_FIELDS.contains(field)) {
        errors.add(field, reason);
      } else if (value.isObject() && OBJECT_FIELDS.contains(field)) {
        for (Map.Entry<String, JsonNode> member : value.properties()) {
          if (member.getValue().isNull()) {
            errors.add(field + "." + member.getKey(), reason);
          }
        }
      }
    }
  }

  /** Refuses text in a JSON value (strings and keys) that is not Unicode: lone surrogates. */
  private static void checkUnicode(JsonNode node, String path, Errors errors) {
    if (node.isTextual()) {
      InputText.notUnicode(node.textValue())
          .ifPresent(reason -> errors.add(path, "must be Unicode text: " + reason));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkUnicode(node.get(i), path + "[" + i + "]", errors);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        String key = entry.getKey();
        Optional<String> problem = InputText.notUnicode(key);
        if (problem.isPresent()) {
          errors.add(path, "has a key that is not Unicode text: " + problem.get());
        } else {
          checkUnicode(entry.getValue(), path + "." + key, errors);
        }
      }
    }
  }

  /**
   * The user's part of a schedule as the API shows it: name, description, enabled, trigger, target,
   * payload and run policies. The payload is written as stored, not parsed again.
   */
  public static ObjectNode specJson(ScheduleSpec spec) {
    ObjectNode node = NODES.objectNode();
    node.put("name", spec.name());
    node.put("description", spec.description());
    node.put("enabled", spec.enabled());
    node.set("labels", Labels.write(spec.labels()));
    node.set("trigger", triggerJson(spec.trigger()));
    node.set("target", TargetJson.write(spec.target()));
    // JSON nested too deep to write back (stored before the body's depth was capped) must not
    // break a read
    node.putRawValue(
        "payload", new com.fasterxml.jackson.databind.util.RawValue(spec.payloadJson()));
    PolicyJson.write(spec.policy(), node);
    return node;
  }

  /** The JSON form of a trigger, as the API shows it and the database keeps it. */
  public static ObjectNode triggerJson(Trigger trigger) {
    ObjectNode node = NODES.objectNode();
    node.put("type", trigger.type());
    switch (trigger) {
      case CronTrigger cron -> {
        node.put("expr", cron.expression().expression());
        node.put("timezone", cron.zone().getId());
      }
      case IntervalTrigger interval -> node.put("seconds", interval.every().toSeconds());
      case OnceTrigger once -> node.put("at", once.at().toString());
    }
    return node;
  }

  /** Parses JSON text that Chime itself wrote; a failure here means the stored row is damaged. */
  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON cannot be read: " + e.getOriginalMessage(), e);
    }
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON cannot be written", e);
    }
  }

  /** Reads a trigger that Chime stored; the stored form was valid when written. */
  public static Trigger storedTrigger(String json) {
    Errors errors = Errors.forStored();
    Trigger trigger = readTrigger(parse(json), "trigger", errors);
    errors.throwIfAny();
    return trigger;
  }

  /** Collects field errors so that one response can name them all. */
  public static final class Errors {
    private final List<FieldError> list = new ArrayList<>();
    private final boolean stored;

    /** Errors of reading input: every rule applies. */
    public Errors() {
      this(false);
    }

    private Errors(boolean stored) {
      this.stored = stored;
    }

    /**
     * Errors of reading what Chime itself stored. The rules that only guard input (what text may
     * hold, what the HTTP clients accept, how far ahead a time may be) are not applied again, so
     * that a row written before a rule existed is still read, shown and changed.
     */
    static Errors forStored() {
      return new Errors(true);
    }

    /** Whether the rules that guard input apply. */
    boolean checksInput() {
      return !stored;
    }

    public void add(String field, String reason) {
      list.add(new FieldError(field, reason));
    }

    public boolean isEmpty() {
      return list.isEmpty();
    }

    public int size() {
      return list.size();
    }

    public void throwIfAny() {
      if (!list.isEmpty()) {
        throw new InvalidInputException(list);
      }
    }
  }
}
