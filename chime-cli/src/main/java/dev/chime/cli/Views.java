package dev.chime.cli;

import dev.chime.client.CheckinTarget;
import dev.chime.client.HttpTarget;
import dev.chime.client.Run;
import dev.chime.client.Schedule;
import dev.chime.client.Target;
import dev.chime.client.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Schedules and runs as table rows and key-value blocks. */
final class Views {
  static final List<String> SCHEDULE_COLUMNS =
      List.of("ID", "NAME", "ENABLED", "TRIGGER", "TARGET", "NEXT FIRE", "LAST", "LABELS");
  static final List<String> RUN_COLUMNS =
      List.of("ID", "STATUS", "ATTEMPT", "SCHEDULED", "STARTED", "DURATION", "HTTP", "ERROR");

  private Views() {}

  static String trigger(Trigger trigger) {
    return switch (trigger) {
      case Trigger.Cron cron -> "cron " + cron.expr() + " (" + cron.timezone() + ")";
      case Trigger.Interval interval -> "every " + interval.seconds() + "s";
      case Trigger.Once once -> "once at " + once.at();
    };
  }

  /** {@code POST https://host/path}, or {@code check-in, grace 900s}. */
  static String target(Target target) {
    return switch (target) {
      case HttpTarget http ->
          http.method()
              + " "
              + http.url()
              + (http.bodyFormat() == HttpTarget.BodyFormat.PAYLOAD
                  ? ""
                  : " (" + http.bodyFormat().wireName() + ")");
      case CheckinTarget checkin -> "check-in, grace " + checkin.graceS() + "s";
    };
  }

  /** {@code X-Team: ops, Authorization: (secret)}; a secret's value is never printed. */
  static String headers(HttpTarget target) {
    List<String> headers = new ArrayList<>();
    target.headers().forEach((name, value) -> headers.add(name + ": " + value));
    target.secretHeaders().keySet().forEach(name -> headers.add(name + ": (secret)"));
    return String.join(", ", headers);
  }

  static String labels(Map<String, String> labels) {
    return labels.entrySet().stream()
        .map(label -> label.getKey() + "=" + label.getValue())
        .collect(Collectors.joining(","));
  }

  static List<String> row(Schedule schedule) {
    return List.of(
        schedule.id().toString(),
        schedule.name(),
        schedule.enabled() ? "yes" : "no",
        trigger(schedule.trigger()),
        target(schedule.target()),
        instant(schedule.nextFireAt()),
        schedule.lastStatus().orElse("-"),
        labels(schedule.labels()));
  }

  static List<Map.Entry<String, String>> detail(Schedule schedule) {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    fields.add(Map.entry("id", schedule.id().toString()));
    fields.add(Map.entry("name", schedule.name()));
    if (!schedule.spec().description().isEmpty()) {
      fields.add(Map.entry("description", schedule.spec().description()));
    }
    fields.add(Map.entry("enabled", schedule.enabled() ? "yes" : "no"));
    fields.add(Map.entry("labels", labels(schedule.labels())));
    fields.add(Map.entry("trigger", trigger(schedule.trigger())));
    fields.add(Map.entry("target", target(schedule.target())));
    if (schedule.target() instanceof HttpTarget http
        && !(http.headers().isEmpty() && http.secretHeaders().isEmpty())) {
      fields.add(Map.entry("headers", headers(http)));
    }
    fields.add(
        Map.entry("payload", schedule.spec().payload().map(Object::toString).orElse("(none)")));
    fields.add(Map.entry("next fire", instant(schedule.nextFireAt())));
    fields.add(Map.entry("last fire", instant(schedule.lastFireAt())));
    fields.add(Map.entry("last status", schedule.lastStatus().orElse("-")));
    fields.add(Map.entry("failures in a row", Integer.toString(schedule.consecutiveFailures())));
    schedule.disabledReason().ifPresent(reason -> fields.add(Map.entry("disabled reason", reason)));
    return fields;
  }

  static List<String> row(Run run) {
    return List.of(
        run.id().toString(),
        run.status().wireName(),
        Integer.toString(run.attempt()),
        run.scheduledAt().toString(),
        instant(run.startedAt()),
        run.durationMs().isPresent() ? run.durationMs().getAsLong() + "ms" : "-",
        run.httpStatus().isPresent() ? Integer.toString(run.httpStatus().getAsInt()) : "-",
        run.errorCode().orElse("-"));
  }

  static List<Map.Entry<String, String>> detail(Run run) {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    List<String> row = row(run);
    for (int i = 0; i < RUN_COLUMNS.size(); i++) {
      fields.add(Map.entry(RUN_COLUMNS.get(i).toLowerCase(java.util.Locale.ROOT), row.get(i)));
    }
    fields.add(1, Map.entry("schedule", run.scheduleId().toString()));
    fields.add(Map.entry("origin", run.origin()));
    fields.add(Map.entry("run key", run.runKey()));
    fields.add(Map.entry("finished", instant(run.finishedAt())));
    run.dueAt().ifPresent(due -> fields.add(Map.entry("due", due.toString())));
    run.errorMessage().ifPresent(message -> fields.add(Map.entry("error message", message)));
    run.responseExcerpt().ifPresent(excerpt -> fields.add(Map.entry("response", excerpt)));
    run.result().ifPresent(result -> fields.add(Map.entry("result", result.toString())));
    fields.add(Map.entry("trace id", run.traceId()));
    return fields;
  }

  static String instant(Optional<Instant> instant) {
    return instant.map(Instant::toString).orElse("-");
  }
}
