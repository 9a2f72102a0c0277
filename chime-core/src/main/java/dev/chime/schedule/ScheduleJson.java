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
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  private static final Set<String> FORBIDDEN_HEADERS =
      Set.of(
          "host",
          "content-length",
          "connection",
          "expect",
          "upgrade",
          "transfer-encoding",
          "te",
          "trailer",
          "keep-alive",
          "proxy-connection",
          "proxy-authorization");
  private static final Set<String> CHIME_HEADERS =
      Set.of(
          "idempotency-key",
          "chime-schedule-id",
          "chime-run-id",
          "chime-scheduled-at",
          "chime-attempt",
          "chime-callback-url",
          "chime-callback-token",
          "traceparent");

  public static final int NAME_MAX = 200;
  public static final int DESCRIPTION_MAX = 2000;
  public static final int HEADERS_MAX = 50;
  public static final int URL_MAX = 2000;
  public static final int CRON_MAX = 200;
  public static final long DEFAULT_TIMEOUT_MS = 30_000;
  public static final long MAX_TIMEOUT_MS = 600_000;
  public static final long DEFAULT_ASYNC_TIMEOUT_S = 3_600;
  public static final long MAX_ASYNC_TIMEOUT_S = 7 * 86_400;

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
            field, "unknown field; a schedule has " + String.join(", ", sorted(SPEC_FIELDS)));
      }
    }
    String name = requiredText(body, "name", "name", NAME_MAX, errors);
    if (name != null && name.isBlank()) {
      errors.add("name", "must not be blank");
    }
    String description = optionalText(body, "description", "description", DESCRIPTION_MAX, errors);
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
      target = readTarget(targetNode, "target", errors);
    }
    JsonNode payload = body.get("payload");
    String payloadJson = payload == null ? "null" : write(payload);
    RunPolicy policy = PolicyJson.read(body, errors);
    errors.throwIfAny();
    return new ScheduleSpec(
        name,
        description == null ? "" : description,
        enabled,
        trigger,
        target,
        payloadJson,
        policy);
  }

  /** Reads a trigger; the {@code path} names it in errors. */
  public static Trigger readTrigger(JsonNode node, String path, Errors errors) {
    if (!node.isObject()) {
      errors.add(path, "must be an object with a type: cron, interval or once");
      return null;
    }
    String type = requiredText(node, "type", path + ".type", 20, errors);
    if (type == null) {
      return null;
    }
    switch (type) {
      case "cron" -> {
        onlyFields(node, path, errors, "type", "expr", "timezone");
        String expr = requiredText(node, "expr", path + ".expr", CRON_MAX, errors);
        String zoneText = optionalText(node, "timezone", path + ".timezone", 100, errors);
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
        onlyFields(node, path, errors, "type", "seconds");
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
        onlyFields(node, path, errors, "type", "at");
        String at = requiredText(node, "at", path + ".at", 64, errors);
        if (at == null) {
          return null;
        }
        try {
          return new OnceTrigger(OffsetDateTime.parse(at).toInstant());
        } catch (DateTimeParseException e) {
          errors.add(
              path + ".at",
              "must be an ISO-8601 instant with an offset, such as 2026-12-01T01:30:00Z; got '"
                  + at
                  + "'");
          return null;
        }
      }
      default -> {
        errors.add(path + ".type", "must be cron, interval or once; got '" + type + "'");
        return null;
      }
    }
  }

  /** Reads an HTTP target; the {@code path} names it in errors. */
  public static HttpTarget readTarget(JsonNode node, String path, Errors errors) {
    if (!node.isObject()) {
      errors.add(path, "must be an object such as {\"type\":\"http\",\"url\":\"https://...\"}");
      return null;
    }
    onlyFields(
        node, path, errors, "type", "method", "url", "headers", "timeout_ms", "async_timeout_s");
    String type = optionalText(node, "type", path + ".type", 20, errors);
    if (type != null && !type.equals("http")) {
      errors.add(path + ".type", "must be http; got '" + type + "'");
    }
    String method = optionalText(node, "method", path + ".method", 10, errors);
    if (method == null) {
      method = "POST";
    } else {
      method = method.toUpperCase(Locale.ROOT);
      if (!HttpTarget.METHODS.contains(method)) {
        errors.add(
            path + ".method", "must be one of " + String.join(", ", sorted(HttpTarget.METHODS)));
        method = null;
      }
    }
    URI url = null;
    String urlText = requiredText(node, "url", path + ".url", URL_MAX, errors);
    if (urlText != null) {
      url = readUrl(urlText, path + ".url", errors);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode headersNode = node.get("headers");
    if (headersNode != null && !headersNode.isNull()) {
      readHeaders(headersNode, path + ".headers", headers, errors);
    }
    long timeoutMs =
        PolicyJson.wholeNumber(
            node,
            "timeout_ms",
            path + ".timeout_ms",
            1,
            MAX_TIMEOUT_MS,
            DEFAULT_TIMEOUT_MS,
            errors);
    long asyncTimeoutS =
        PolicyJson.wholeNumber(
            node,
            "async_timeout_s",
            path + ".async_timeout_s",
            1,
            MAX_ASYNC_TIMEOUT_S,
            DEFAULT_ASYNC_TIMEOUT_S,
            errors);
    if (method == null || url == null) {
      return null;
    }
    return new HttpTarget(
        method, url, headers, Duration.ofMillis(timeoutMs), Duration.ofSeconds(asyncTimeoutS));
  }

  private static URI readUrl(String text, String path, Errors errors) {
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      errors.add(path, "is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
      return null;
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      errors.add(path, "must be an http or https URL; got scheme '" + scheme + "'");
      return null;
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      errors.add(path, "must name a host, such as https://example.com/hook");
      return null;
    }
    if (url.getRawUserInfo() != null) {
      errors.add(path, "must not carry user:password; put credentials in target.headers");
      return null;
    }
    return url;
  }

  private static void readHeaders(
      JsonNode node, String path, Map<String, String> headers, Errors errors) {
    if (!node.isObject()) {
      errors.add(path, "must be an object of header names to string values");
      return;
    }
    if (node.size() > HEADERS_MAX) {
      errors.add(path, "at most " + HEADERS_MAX + " headers, got " + node.size());
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      String fieldPath = path + "." + name;
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}")) {
        errors.add(fieldPath, "is not a valid header name");
      } else if (FORBIDDEN_HEADERS.contains(lower)) {
        errors.add(fieldPath, "is managed by the HTTP client and cannot be set");
      } else if (CHIME_HEADERS.contains(lower)) {
        errors.add(fieldPath, "is set by Chime on every call and cannot be overridden");
      } else if (!entry.getValue().isTextual()) {
        errors.add(fieldPath, "must be a string");
      } else if (entry.getValue().textValue().length() > 4000
          || entry.getValue().textValue().matches("(?s).*[\\r\\n\\x00].*")) {
        errors.add(fieldPath, "must be at most 4000 characters with no line breaks");
      } else {
        headers.put(name, entry.getValue().textValue());
      }
    }
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

  /** The JSON form of a target, as the API shows it and the database keeps it. */
  public static ObjectNode targetJson(HttpTarget target) {
    ObjectNode node = NODES.objectNode();
    node.put("type", target.type());
    node.put("method", target.method());
    node.put("url", target.url().toString());
    ObjectNode headers = node.putObject("headers");
    new java.util.TreeMap<>(target.headers()).forEach(headers::put);
    node.put("timeout_ms", target.timeout().toMillis());
    node.put("async_timeout_s", target.asyncTimeout().toSeconds());
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
    Errors errors = new Errors();
    Trigger trigger = readTrigger(parse(json), "trigger", errors);
    errors.throwIfAny();
    return trigger;
  }

  /** Reads a target that Chime stored. */
  public static HttpTarget storedTarget(String json) {
    Errors errors = new Errors();
    HttpTarget target = readTarget(parse(json), "target", errors);
    errors.throwIfAny();
    return target;
  }

  private static void onlyFields(JsonNode node, String path, Errors errors, String... allowed) {
    Set<String> known = Set.of(allowed);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        errors.add(
            path + "." + field,
            "unknown field; this object has " + String.join(", ", sorted(known)));
      }
    }
  }

  private static String requiredText(
      JsonNode parent, String field, String path, int maxLength, Errors errors) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      errors.add(path, "is required");
      return null;
    }
    return text(node, path, maxLength, errors);
  }

  private static String optionalText(
      JsonNode parent, String field, String path, int maxLength, Errors errors) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    return text(node, path, maxLength, errors);
  }

  private static String text(JsonNode node, String path, int maxLength, Errors errors) {
    if (!node.isTextual()) {
      errors.add(path, "must be a string");
      return null;
    }
    String value = node.textValue();
    if (value.length() > maxLength) {
      errors.add(path, "must be at most " + maxLength + " characters, got " + value.length());
      return null;
    }
    return value;
  }

  private static List<String> sorted(Set<String> values) {
    List<String> list = new ArrayList<>(values);
    list.sort(null);
    return list;
  }

  /** Collects field errors so that one response can name them all. */
  public static final class Errors {
    private final List<FieldError> list = new ArrayList<>();

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
