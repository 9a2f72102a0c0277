package dev.chime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.client.HttpTarget;
import dev.chime.client.SchedulePatch;
import dev.chime.client.ScheduleSpec;
import dev.chime.client.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The flags that describe a schedule, for {@code schedules create} and {@code update}. */
final class SpecOptions {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "the schedule's name, unique in the tenant")
  String name;

  @Option(names = "--description", paramLabel = "TEXT", description = "free text")
  String description;

  @Option(
      names = "--cron",
      paramLabel = "EXPR",
      description = "fire on a cron expression, such as '0 9 * * 1-5'")
  String cron;

  @Option(
      names = "--tz",
      paramLabel = "ZONE",
      description = "the cron's IANA time zone (default UTC)")
  String timezone;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "fire at an interval, such as 30s or 5m")
  Duration every;

  @Option(
      names = "--at",
      paramLabel = "INSTANT",
      description = "fire once, at an ISO-8601 instant such as 2027-06-01T09:30:00+08:00")
  String at;

  @Option(names = "--url", paramLabel = "URL", description = "the target's URL")
  String url;

  @Option(
      names = "--method",
      paramLabel = "METHOD",
      description = "the target's method (default POST)")
  String method;

  @Option(
      names = "--header",
      paramLabel = "NAME=VALUE",
      description = "a header for the target; repeatable")
  Map<String, String> headers = new LinkedHashMap<>();

  @Option(
      names = "--timeout-ms",
      paramLabel = "MS",
      description = "the target's call timeout (default 30000)")
  Integer timeoutMs;

  @Option(names = "--payload", paramLabel = "JSON", description = "the JSON body of each call")
  String payload;

  @Option(names = "--label", paramLabel = "NAME=VALUE", description = "a label; repeatable")
  Map<String, String> labels = new LinkedHashMap<>();

  /** Whether any flag that describes a schedule is given. */
  boolean any() {
    return name != null
        || description != null
        || cron != null
        || timezone != null
        || every != null
        || at != null
        || url != null
        || method != null
        || !headers.isEmpty()
        || timeoutMs != null
        || payload != null
        || !labels.isEmpty();
  }

  /** A whole spec for a create: the name, one trigger and the URL are needed. */
  ScheduleSpec spec(boolean enabled) {
    List<String> missing = new ArrayList<>();
    if (name == null) {
      missing.add("--name");
    }
    if (url == null) {
      missing.add("--url");
    }
    Optional<Trigger> trigger = trigger();
    if (trigger.isEmpty()) {
      missing.add("one of --cron, --every, --at");
    }
    if (!missing.isEmpty()) {
      throw new UsageException(
          "a new schedule needs " + String.join(", ", missing) + " (or --file)");
    }
    HttpTarget target = HttpTarget.post(url);
    if (method != null) {
      target = target.withMethod(method);
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      target = target.withHeader(header.getKey(), header.getValue());
    }
    if (timeoutMs != null) {
      target = target.withTimeout(Duration.ofMillis(timeoutMs));
    }
    ScheduleSpec.Builder spec =
        ScheduleSpec.builder(name, trigger.get(), target).enabled(enabled).labels(labels);
    if (description != null) {
      spec.description(description);
    }
    payload().ifPresent(spec::payload);
    return spec.build();
  }

  /** A merge patch of what the flags name; {@code removeLabels} are taken off. */
  SchedulePatch patch(List<String> removeLabels) {
    SchedulePatch patch = SchedulePatch.create();
    if (name != null) {
      patch.name(name);
    }
    if (description != null) {
      patch.description(description);
    }
    Optional<Trigger> trigger = trigger();
    if (cron != null) {
      // without --tz the zone stays as it is (Chime merges the trigger while its type is the same)
      ObjectNode change = MAPPER.createObjectNode().put("type", "cron").put("expr", cron);
      if (timezone != null) {
        change.put("timezone", timezone);
      }
      patch.set("trigger", change);
    } else if (trigger.isPresent()) {
      patch.trigger(trigger.get());
    } else if (timezone != null) {
      patch.set("trigger", MAPPER.createObjectNode().put("timezone", timezone));
    }
    ObjectNode target = MAPPER.createObjectNode();
    if (url != null) {
      target.put("url", url);
    }
    if (method != null) {
      target.put("method", method.toUpperCase(java.util.Locale.ROOT));
    }
    if (timeoutMs != null) {
      target.put("timeout_ms", timeoutMs);
    }
    if (!headers.isEmpty()) {
      ObjectNode list = target.putObject("headers");
      headers.forEach(list::put);
    }
    if (!target.isEmpty()) {
      patch.set("target", target);
    }
    payload().ifPresent(patch::payload);
    labels.forEach(patch::label);
    removeLabels.forEach(patch::removeLabel);
    return patch;
  }

  private Optional<Trigger> trigger() {
    int kinds = (cron != null ? 1 : 0) + (every != null ? 1 : 0) + (at != null ? 1 : 0);
    if (kinds > 1) {
      throw new UsageException("--cron, --every and --at each set the trigger: give one");
    }
    if (timezone != null && (every != null || at != null)) {
      throw new UsageException("--tz goes with --cron");
    }
    if (cron != null) {
      return Optional.of(Trigger.cron(cron, timezone == null ? "UTC" : timezone));
    }
    if (every != null) {
      return Optional.of(Trigger.every(every));
    }
    if (at != null) {
      return Optional.of(Trigger.once(instant(at)));
    }
    return Optional.empty();
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new UsageException(
          "--at takes an ISO-8601 instant with an offset, such as 2027-06-01T09:30:00Z; got '"
              + text
              + "'");
    }
  }

  private Optional<JsonNode> payload() {
    if (payload == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readTree(payload));
    } catch (JsonProcessingException e) {
      throw new UsageException("--payload is not JSON: " + e.getOriginalMessage());
    }
  }
}
