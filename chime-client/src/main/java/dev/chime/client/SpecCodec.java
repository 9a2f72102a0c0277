package dev.chime.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Schedule specs, triggers, targets and retry policies to and from the API's JSON. */
final class SpecCodec {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final Set<String> SPEC_FIELDS =
      Set.of(
          "name",
          "description",
          "enabled",
          "labels",
          "trigger",
          "target",
          "payload",
          "retry_policy",
          "catchup_window_s",
          "max_concurrency",
          "overlap_policy",
          "auto_disable_after");

  /** What Chime keeps of a schedule: accepted and ignored in a spec, as the API does. */
  static final Set<String> STATE_FIELDS =
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

  private SpecCodec() {}

  /** Reads a spec; {@code strict} refuses unknown members (a file), else they are skipped. */
  static ScheduleSpec read(JsonNode node, boolean strict) {
    List<FieldError> errors = new ArrayList<>();
    Fields fields = Fields.of(node, "", errors);
    if (strict) {
      Set<String> known = new java.util.HashSet<>(SPEC_FIELDS);
      known.addAll(STATE_FIELDS);
      fields.refuseUnknown(known);
    }
    String name = fields.requiredText("name");
    String description = fields.text("description").orElse("");
    boolean enabled = fields.bool("enabled").orElse(true);
    var labels = fields.strings("labels");
    Optional<Trigger> trigger = trigger(fields, strict);
    Optional<Target> target = target(fields, strict);
    Optional<JsonNode> payload = fields.any("payload").map(SpecCodec::normalized);
    RetryPolicy retry =
        fields.object("retry_policy").map(f -> retry(f, strict)).orElse(RetryPolicy.DEFAULT);
    int catchup =
        fields.smallInteger("catchup_window_s").orElse(ScheduleSpec.DEFAULT_CATCHUP_WINDOW_S);
    int concurrency = fields.smallInteger("max_concurrency").orElse(1);
    OverlapPolicy overlap = OverlapPolicy.SKIP;
    Optional<String> overlapName = fields.text("overlap_policy");
    if (overlapName.isPresent()) {
      try {
        overlap = OverlapPolicy.fromWire(overlapName.get());
      } catch (IllegalArgumentException e) {
        fields.error("overlap_policy", e.getMessage());
      }
    }
    OptionalInt autoDisable =
        fields.smallInteger("auto_disable_after").map(OptionalInt::of).orElse(OptionalInt.empty());
    if (!errors.isEmpty()) {
      throw new InvalidSpecException(errors);
    }
    return new ScheduleSpec(
        name,
        description,
        enabled,
        labels,
        trigger.orElseThrow(),
        target.orElseThrow(),
        payload,
        retry,
        catchup,
        concurrency,
        overlap,
        autoDisable);
  }

  /** The same JSON with the number types a JSON parser gives, whatever read it (YAML). */
  private static JsonNode normalized(JsonNode payload) {
    try {
      return MAPPER.readTree(MAPPER.writeValueAsString(payload));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that does not write: " + e.getMessage(), e);
    }
  }

  private static Optional<Trigger> trigger(Fields schedule, boolean strict) {
    Optional<Fields> found = schedule.object("trigger");
    if (found.isEmpty()) {
      schedule.error("trigger", "missing");
      return Optional.empty();
    }
    Fields fields = found.get();
    String type = fields.requiredText("type");
    if (fields.any("type").isEmpty()) {
      return Optional.empty();
    }
    try {
      switch (type) {
        case "cron" -> {
          if (strict) {
            fields.refuseUnknown(Set.of("type", "expr", "timezone"));
          }
          String expr = fields.requiredText("expr");
          String zone = fields.text("timezone").orElse("UTC");
          return fields.any("expr").isEmpty()
              ? Optional.empty()
              : Optional.of(new Trigger.Cron(expr, zone));
        }
        case "interval" -> {
          if (strict) {
            fields.refuseUnknown(Set.of("type", "seconds"));
          }
          Optional<Long> seconds = fields.integer("seconds");
          if (seconds.isEmpty() && fields.any("seconds").isEmpty()) {
            fields.error("seconds", "missing");
          }
          return seconds.map(Trigger.Interval::new);
        }
        case "once" -> {
          if (strict) {
            fields.refuseUnknown(Set.of("type", "at"));
          }
          if (fields.any("at").isEmpty()) {
            fields.error("at", "missing");
          }
          return fields.instant("at").map(Trigger.Once::new);
        }
        default -> {
          fields.error("type", "must be cron, interval or once; got '" + type + "'");
          return Optional.empty();
        }
      }
    } catch (IllegalArgumentException e) {
      fields.error(type.equals("interval") ? "seconds" : "expr", e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Target> target(Fields schedule, boolean strict) {
    Optional<Fields> found = schedule.object("target");
    if (found.isEmpty()) {
      schedule.error("target", "missing");
      return Optional.empty();
    }
    Fields fields = found.get();
    String type = fields.text("type").orElse("http");
    if (type.equals("checkin")) {
      if (strict) {
        fields.refuseUnknown(Set.of("type", "grace_s"));
      }
      int grace = fields.smallInteger("grace_s").orElse(CheckinTarget.DEFAULT_GRACE_S);
      try {
        return Optional.of(new CheckinTarget(grace));
      } catch (IllegalArgumentException e) {
        fields.error("grace_s", e.getMessage());
        return Optional.empty();
      }
    }
    if (!type.equals("http")) {
      fields.error("type", "must be http or checkin; got '" + type + "'");
    }
    if (strict) {
      fields.refuseUnknown(
          Set.of(
              "type", "method", "url", "headers", "timeout_ms", "async_timeout_s", "body_format"));
    }
    String method = fields.text("method").orElse("POST");
    String url = fields.requiredText("url");
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> secrets = new LinkedHashMap<>();
    headers(fields, strict, headers, secrets);
    int timeout = fields.smallInteger("timeout_ms").orElse(HttpTarget.DEFAULT_TIMEOUT_MS);
    int async = fields.smallInteger("async_timeout_s").orElse(HttpTarget.DEFAULT_ASYNC_TIMEOUT_S);
    HttpTarget.BodyFormat format = HttpTarget.BodyFormat.PAYLOAD;
    Optional<String> formatName = fields.text("body_format");
    if (formatName.isPresent()) {
      try {
        format = HttpTarget.BodyFormat.fromWire(formatName.get());
      } catch (IllegalArgumentException e) {
        fields.error("body_format", e.getMessage());
      }
    }
    try {
      return Optional.of(new HttpTarget(method, url, headers, secrets, timeout, async, format));
    } catch (IllegalArgumentException e) {
      fields.error("method", e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Reads {@code headers}: a value is a string (numbers and booleans as their text), or {@code
   * {"value": "...", "secret": true}}, where {@code secret} false or absent makes a plain header.
   */
  private static void headers(
      Fields target, boolean strict, Map<String, String> plain, Map<String, String> secret) {
    Optional<Fields> found = target.object("headers");
    if (found.isEmpty()) {
      return;
    }
    Fields headers = found.get();
    for (Map.Entry<String, JsonNode> header : headers.members()) {
      String name = header.getKey();
      JsonNode value = header.getValue();
      if (value.isValueNode() && !value.isNull()) {
        plain.put(name, value.asText());
      } else if (value.isObject()) {
        Fields object = headers.object(name).orElseThrow();
        if (strict) {
          object.refuseUnknown(Set.of("value", "secret"));
        }
        String text = object.requiredText("value");
        (object.bool("secret").orElse(false) ? secret : plain).put(name, text);
      } else {
        headers.error(name, "must be a string, or {\"value\": \"...\", \"secret\": true}");
      }
    }
  }

  private static RetryPolicy retry(Fields fields, boolean strict) {
    if (strict) {
      fields.refuseUnknown(
          Set.of("max_attempts", "backoff", "initial_s", "multiplier", "max_s", "jitter"));
    }
    int attempts = fields.smallInteger("max_attempts").orElse(3);
    try {
      boolean exponential =
          fields.any("initial_s").isPresent()
              || fields.any("multiplier").isPresent()
              || fields.any("max_s").isPresent()
              || fields.any("jitter").isPresent();
      if (exponential) {
        return new RetryPolicy.Exponential(
            attempts,
            fields.smallInteger("initial_s").orElse(30),
            fields.number("multiplier").orElse(2.0),
            fields.smallInteger("max_s").orElse(3600),
            fields.number("jitter").orElse(0.0));
      }
      List<Integer> waits = new ArrayList<>();
      for (JsonNode wait : fields.array("backoff")) {
        if (wait.isIntegralNumber() && wait.canConvertToInt()) {
          waits.add(wait.intValue());
        } else {
          fields.error("backoff", "must be a list of whole seconds");
        }
      }
      return new RetryPolicy.Backoff(
          attempts,
          fields.any("backoff").isEmpty()
              ? ((RetryPolicy.Backoff) RetryPolicy.DEFAULT).backoffSeconds()
              : waits);
    } catch (IllegalArgumentException e) {
      fields.error("max_attempts", e.getMessage());
      return RetryPolicy.DEFAULT;
    }
  }

  /**
   * The spec as the API takes it; {@code compact} leaves out what equals Chime's default (for files
   * people read).
   */
  static ObjectNode write(ScheduleSpec spec, boolean compact) {
    ObjectNode node = NODES.objectNode();
    node.put("name", spec.name());
    if (!compact || !spec.description().isEmpty()) {
      node.put("description", spec.description());
    }
    if (!compact || !spec.enabled()) {
      node.put("enabled", spec.enabled());
    }
    if (!compact || !spec.labels().isEmpty()) {
      ObjectNode labels = node.putObject("labels");
      spec.labels().forEach(labels::put);
    }
    node.set("trigger", write(spec.trigger()));
    node.set("target", write(spec.target(), compact));
    if (!compact || spec.payload().isPresent()) {
      node.set("payload", spec.payload().orElse(NODES.nullNode()));
    }
    if (!compact || !spec.retryPolicy().equals(RetryPolicy.DEFAULT)) {
      node.set("retry_policy", write(spec.retryPolicy()));
    }
    if (!compact || spec.catchupWindowS() != ScheduleSpec.DEFAULT_CATCHUP_WINDOW_S) {
      node.put("catchup_window_s", spec.catchupWindowS());
    }
    if (!compact || spec.maxConcurrency() != 1) {
      node.put("max_concurrency", spec.maxConcurrency());
    }
    if (!compact || spec.overlapPolicy() != OverlapPolicy.SKIP) {
      node.put("overlap_policy", spec.overlapPolicy().wireName());
    }
    if (spec.autoDisableAfter().isPresent()) {
      node.put("auto_disable_after", spec.autoDisableAfter().getAsInt());
    } else if (!compact) {
      node.putNull("auto_disable_after");
    }
    return node;
  }

  static ObjectNode write(Trigger trigger) {
    ObjectNode node = NODES.objectNode();
    node.put("type", trigger.type());
    switch (trigger) {
      case Trigger.Cron cron -> {
        node.put("expr", cron.expr());
        node.put("timezone", cron.timezone());
      }
      case Trigger.Interval interval -> node.put("seconds", interval.seconds());
      case Trigger.Once once -> node.put("at", once.at().toString());
    }
    return node;
  }

  static ObjectNode write(Target target, boolean compact) {
    return switch (target) {
      case HttpTarget http -> write(http, compact);
      case CheckinTarget checkin -> {
        ObjectNode node = NODES.objectNode().put("type", checkin.type());
        if (!compact || checkin.graceS() != CheckinTarget.DEFAULT_GRACE_S) {
          node.put("grace_s", checkin.graceS());
        }
        yield node;
      }
    };
  }

  private static ObjectNode write(HttpTarget target, boolean compact) {
    ObjectNode node = NODES.objectNode();
    if (!compact) {
      node.put("type", "http");
    }
    if (!compact || !target.method().equals("POST")) {
      node.put("method", target.method());
    }
    node.put("url", target.url());
    if (!compact || !target.headers().isEmpty() || !target.secretHeaders().isEmpty()) {
      ObjectNode headers = node.putObject("headers");
      target.headers().forEach(headers::put);
      target
          .secretHeaders()
          .forEach(
              (name, value) -> headers.putObject(name).put("value", value).put("secret", true));
    }
    if (!compact || target.timeoutMs() != HttpTarget.DEFAULT_TIMEOUT_MS) {
      node.put("timeout_ms", target.timeoutMs());
    }
    if (!compact || target.asyncTimeoutS() != HttpTarget.DEFAULT_ASYNC_TIMEOUT_S) {
      node.put("async_timeout_s", target.asyncTimeoutS());
    }
    if (!compact || target.bodyFormat() != HttpTarget.BodyFormat.PAYLOAD) {
      node.put("body_format", target.bodyFormat().wireName());
    }
    return node;
  }

  static ObjectNode write(RetryPolicy policy) {
    ObjectNode node = NODES.objectNode();
    node.put("max_attempts", policy.maxAttempts());
    switch (policy) {
      case RetryPolicy.Backoff backoff -> {
        ArrayNode list = node.putArray("backoff");
        backoff.backoffSeconds().forEach(list::add);
      }
      case RetryPolicy.Exponential exp -> {
        node.put("initial_s", exp.initialS());
        node.put("multiplier", exp.multiplier());
        node.put("max_s", exp.maxS());
        node.put("jitter", exp.jitter());
      }
    }
    return node;
  }
}
