package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.ConflictException;
import dev.chime.InvalidInputException;
import dev.chime.TargetForbiddenException;
import dev.chime.run.Run;
import dev.chime.schedule.CronTrigger;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.IntervalTrigger;
import dev.chime.schedule.OnceTrigger;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleJson;
import dev.chime.schedule.TargetJson;
import dev.chime.server.auth.Access;
import dev.chime.server.auth.Caller;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduledTaskTargetStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The user scheduled-tasks API, {@code /scheduled-tasks}: a task is a Chime schedule labelled
 * {@code compat=scheduled-tasks} whose target is the one its tenant set for its tasks, and whose
 * payload is the task's. Times are naive UTC, as that API wrote them. See docs/compat.md.
 */
final class ScheduledTaskRoutes {
  private static final String BASE = "/scheduled-tasks";
  static final String TARGET = "/api/v1/compat/scheduled-tasks-target";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The runs a task's history shows, newest first. */
  static final int RUNS_SHOWN = 50;

  /** What an interval of 0 or less stands for, as that API had it. */
  static final long DEFAULT_INTERVAL_S = 60;

  private static final Set<String> FIELDS =
      Set.of("name", "schedule_type", "schedule_expr", "timezone", "payload", "enabled");

  /** Fields of a task as read back, which a caller may send again and which are not changed so. */
  private static final Set<String> READ_ONLY =
      Set.of("id", "task_id", "next_run_at", "created_at", "updated_at", "last_status");

  private static final LegacyFields NAMES =
      new LegacyFields(
          Map.of(
              "trigger.seconds", "schedule_expr",
              "trigger.expr", "schedule_expr",
              "trigger.at", "schedule_expr",
              "trigger.timezone", "timezone",
              "trigger", "schedule_expr"));

  private final ScheduleOperations operations;
  private final CompatSchedules tasks;
  private final RunStore runs;
  private final ScheduledTaskTargetStore targets;
  private final Requests requests;
  private final Outgoing outgoing;
  private final Clock clock;

  ScheduledTaskRoutes(
      ScheduleOperations operations,
      RunStore runs,
      ScheduledTaskTargetStore targets,
      Requests requests,
      Outgoing outgoing,
      Clock clock) {
    this.outgoing = outgoing;
    this.clock = clock;
    this.operations = operations;
    this.tasks = new CompatSchedules(operations, "scheduled-tasks");
    this.runs = runs;
    this.targets = targets;
    this.requests = requests;
  }

  void register(RoutesConfig app) {
    app.get(BASE, this::list, Access.SCHEDULES_READ);
    app.post(BASE, this::create, Access.SCHEDULES_WRITE);
    app.put(BASE + "/{id}", this::replace, Access.SCHEDULES_WRITE);
    app.delete(
        BASE + "/{id}",
        ctx -> {
          Caller caller = caller(ctx);
          UUID id = id(ctx);
          tasks.get(caller.tenantId(), id, "task");
          operations.delete(caller, id);
          ctx.status(204);
        },
        Access.SCHEDULES_DELETE);
    app.get(BASE + "/{id}/runs", this::runs, Access.RUNS_READ);
    // it may carry credentials in its headers: the tenant's admin reads and sets it
    app.get(TARGET, this::readTarget, Access.ADMIN);
    app.put(TARGET, this::replaceTarget, Access.ADMIN);
  }

  private void list(Context ctx) {
    ArrayNode list = JSON.arrayNode();
    tasks.all(caller(ctx).tenantId()).stream()
        .sorted(
            Comparator.comparing(Schedule::updatedAt).thenComparing(Schedule::createdAt).reversed())
        .forEach(task -> list.add(view(task)));
    ctx.json(list);
  }

  private void create(Context ctx) {
    Caller caller = caller(ctx);
    JsonNode body = requests.body(ctx);
    String name = "task-" + UUID.randomUUID().toString().substring(0, 8);
    ObjectNode schedule = schedule(caller, body, name);
    Schedule made = NAMES.translate(() -> operations.create(caller, schedule));
    ctx.status(201);
    ctx.header("Location", BASE + "/" + made.id());
    ctx.json(view(made));
  }

  /**
   * A whole new task in place of the old. It goes through Chime's update, which also drops the
   * schedule's lease (a node that held it writes and sends nothing more of it), so a task stuck
   * under a lost lease moves again at once.
   */
  private void replace(Context ctx) {
    Caller caller = caller(ctx);
    UUID id = id(ctx);
    Schedule current = tasks.get(caller.tenantId(), id, "task");
    ObjectNode schedule = schedule(caller, requests.body(ctx), current.spec().name());
    ctx.json(view(NAMES.translate(() -> operations.replace(caller, id, schedule))));
  }

  private void runs(Context ctx) {
    String tenant = caller(ctx).tenantId();
    UUID id = id(ctx);
    tasks.get(tenant, id, "task");
    ArrayNode list = JSON.arrayNode();
    runs.listBySchedule(tenant, id, Optional.empty(), RUNS_SHOWN)
        .items()
        .forEach(run -> list.add(run(run)));
    ctx.json(list);
  }

  /** A task as that API wrote it, as the body of a Chime schedule. */
  private ObjectNode schedule(Caller caller, JsonNode body, String defaultName) {
    if (!body.isObject()) {
      throw new InvalidInputException(
          "body", "must be a task: an object with schedule_type and schedule_expr");
    }
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    ObjectNode given = ((ObjectNode) body).deepCopy();
    given.remove(READ_ONLY);
    CompatSchedules.onlyFields(given, errors, FIELDS);
    String type = given.path("schedule_type").asText("");
    JsonNode expr = given.get("schedule_expr");
    if (!Set.of("cron", "interval", "once").contains(type)) {
      errors.add("schedule_type", "must be cron, interval or once");
    }
    if (expr == null || expr.isNull()) {
      errors.add("schedule_expr", "is required: a cron expression, seconds, or a UTC time");
    }
    errors.throwIfAny();
    ObjectNode trigger = JSON.objectNode().put("type", type);
    switch (type) {
      case "cron" -> {
        trigger.set("expr", expr);
        trigger.put("timezone", given.path("timezone").asText("UTC"));
      }
      case "interval" -> trigger.put("seconds", seconds(expr));
      default -> trigger.put("at", at(expr).toString());
    }
    ObjectNode schedule = JSON.objectNode();
    schedule.set("name", given.hasNonNull("name") ? given.get("name") : JSON.textNode(defaultName));
    if (given.has("enabled")) {
      schedule.set("enabled", given.get("enabled"));
    }
    schedule.set("trigger", trigger);
    schedule.set("target", target(caller.tenantId()));
    schedule.set("payload", given.hasNonNull("payload") ? given.get("payload") : JSON.objectNode());
    schedule.putObject("labels").put(CompatSchedules.LABEL, tasks.label());
    return schedule;
  }

  /** The seconds of an interval: a whole number, as text or not; 0 or less is 60. */
  private static long seconds(JsonNode expr) {
    String text = expr.isNumber() ? expr.asText() : expr.isTextual() ? expr.textValue().trim() : "";
    try {
      long seconds = Long.parseLong(text);
      return seconds <= 0 ? DEFAULT_INTERVAL_S : seconds;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          "schedule_expr",
          "an interval is a whole number of seconds, such as \"300\"; got " + expr);
    }
  }

  private static Instant at(JsonNode expr) {
    return Optional.ofNullable(expr.isTextual() ? expr.textValue() : null)
        .flatMap(CompatSchedules::readNaiveUtc)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "schedule_expr",
                    "a once is a UTC time without an offset, such as \"2026-12-01T09:00:00\"; got "
                        + expr));
  }

  private JsonNode target(String tenantId) {
    return targets
        .get(tenantId)
        .map(target -> (JsonNode) TargetJson.write(target))
        .orElseThrow(
            () ->
                new ConflictException(
                    "target",
                    "the tenant has no target for its scheduled tasks; its admin sets one with"
                        + " PUT "
                        + TARGET));
  }

  static ObjectNode view(Schedule task) {
    ObjectNode node = JSON.objectNode();
    node.put("id", task.id().toString());
    node.put("task_id", task.id().toString());
    node.put("name", task.spec().name());
    switch (task.spec().trigger()) {
      case CronTrigger cron -> {
        node.put("schedule_type", "cron");
        node.put("schedule_expr", cron.expression().expression());
        node.put("timezone", cron.zone().getId());
      }
      case IntervalTrigger interval -> {
        node.put("schedule_type", "interval");
        node.put("schedule_expr", Long.toString(interval.every().toSeconds()));
        node.put("timezone", "UTC");
      }
      case OnceTrigger once -> {
        node.put("schedule_type", "once");
        node.put("schedule_expr", CompatSchedules.naiveUtc(once.at()));
        node.put("timezone", "UTC");
      }
      default -> node.put("schedule_type", task.spec().trigger().type());
    }
    node.set("payload", ScheduleJson.parse(task.spec().payloadJson()));
    node.put("enabled", task.spec().enabled());
    naive(node, "next_run_at", task.nextFireAt());
    naive(node, "created_at", Optional.of(task.createdAt()));
    naive(node, "updated_at", Optional.of(task.updatedAt()));
    return node;
  }

  /** A run as that API had it: running, success or failed, with its trace, error and result. */
  private static ObjectNode run(Run run) {
    ObjectNode node = JSON.objectNode();
    node.put("id", run.id().toString());
    node.put("task_id", run.scheduleId().toString());
    node.put(
        "status",
        switch (run.status()) {
          case QUEUED, RUNNING -> "running";
          case SUCCESS -> "success";
          default -> "failed";
        });
    node.put("attempt", run.attempt());
    naive(node, "scheduled_at", Optional.of(run.scheduledAt()));
    naive(node, "started_at", run.startedAt());
    naive(node, "finished_at", run.finishedAt());
    node.put("trace_id", run.traceId());
    if (run.status().isFinal() && run.status() != dev.chime.run.RunStatus.SUCCESS) {
      node.put("error", run.errorMessage().or(run::errorCode).orElse(run.status().wireName()));
    } else {
      node.putNull("error");
    }
    node.set("result", result(run));
    return node;
  }

  /** What the target answered: its report's result, else its answer, as JSON where it is JSON. */
  private static JsonNode result(Run run) {
    if (run.resultJson().isPresent()) {
      return ScheduleJson.parse(run.resultJson().get());
    }
    if (run.responseExcerpt().isEmpty() || run.responseExcerpt().get().isEmpty()) {
      return JSON.nullNode();
    }
    String text = run.responseExcerpt().get();
    try {
      return ScheduleJson.parse(text);
    } catch (RuntimeException notJson) {
      return JSON.textNode(text);
    }
  }

  private static void naive(ObjectNode node, String field, Optional<Instant> value) {
    if (value.isPresent()) {
      node.put(field, CompatSchedules.naiveUtc(value.get()));
    } else {
      node.putNull(field);
    }
  }

  private static UUID id(Context ctx) {
    return Requests.id(ctx, "task");
  }

  /** The tenant's target for its tasks, as its admin set it; {@code null} for none. */
  private void readTarget(Context ctx) {
    ObjectNode answer = JSON.objectNode();
    targets
        .get(caller(ctx).tenantId())
        .ifPresentOrElse(
            target -> answer.set("target", TargetJson.write(target)),
            () -> answer.putNull("target"));
    ctx.json(answer);
  }

  /**
   * Sets the tenant's target for its tasks: an HTTP target as a schedule has one, held to the
   * address policy. Tasks take it when they are created or replaced.
   */
  private void replaceTarget(Context ctx) {
    Caller caller = caller(ctx);
    JsonNode body = requests.body(ctx);
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    if (!body.isObject()) {
      throw new InvalidInputException("body", "must be {\"target\": {\"url\": \"https://...\"}}");
    }
    CompatSchedules.onlyFields(body, errors, Set.of("target"));
    JsonNode given = body.get("target");
    HttpTarget target = null;
    if (given == null || given.isNull()) {
      errors.add("target", "is required: {\"url\": \"https://...\", \"method\": \"POST\"}");
    } else if (given.path("type").asText("http").equals("checkin")) {
      errors.add("target.type", "must be http: tasks are sent to an executor");
    } else {
      target = TargetJson.read(given, "target", errors);
    }
    if (target != null) {
      target
          .secretHeaders()
          .keySet()
          .forEach(
              name ->
                  errors.add(
                      "target.headers." + name,
                      "a secret header is not kept here; the executor can check Chime's"
                          + " signature (docs/signing.md) instead"));
    }
    errors.throwIfAny();
    HttpTarget checked = target;
    outgoing
        .guard()
        .refusalOf(checked.url(), outgoing.allowLists().of(caller.tenantId()))
        .ifPresent(
            reason -> {
              throw new TargetForbiddenException("target.url", reason);
            });
    targets.put(
        caller.tenantId(),
        checked,
        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS),
        caller.actor());
    ctx.json(JSON.objectNode().set("target", TargetJson.write(checked)));
  }
}
