package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.InvalidInputException;
import dev.chime.run.Run;
import dev.chime.schedule.IntervalTrigger;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleJson;
import dev.chime.server.auth.Access;
import dev.chime.server.auth.Caller;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.UUID;

/**
 * The timer plugin's API, {@code /plugin-api/timer-scheduler}: its jobs are Chime schedules with an
 * interval trigger and an HTTP target, labelled {@code compat=timer-scheduler}, and a trigger is a
 * run-now. See docs/compat.md.
 */
final class TimerPluginRoutes {
  private static final String BASE = "/plugin-api/timer-scheduler";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final LegacyFields FIELDS =
      new LegacyFields(
          Map.of(
              "trigger.seconds", "interval_secs",
              "trigger", "interval_secs",
              "target.url", "target_url",
              "target.method", "method"));

  private final ScheduleOperations operations;
  private final CompatSchedules jobs;
  private final Requests requests;

  TimerPluginRoutes(ScheduleOperations operations, Requests requests) {
    this.operations = operations;
    this.jobs = new CompatSchedules(operations, "timer-scheduler");
    this.requests = requests;
  }

  void register(RoutesConfig app) {
    app.get(
        BASE + "/health",
        ctx -> ctx.contentType("text/plain; charset=utf-8").result("ok"),
        Access.PUBLIC);
    app.get(BASE + "/jobs", this::list, Access.SCHEDULES_READ);
    app.post(BASE + "/jobs", this::create, Access.SCHEDULES_WRITE);
    app.post(BASE + "/jobs/{id}/trigger", this::trigger, Access.SCHEDULES_RUN);
  }

  private void list(Context ctx) {
    ArrayNode list = JSON.arrayNode();
    jobs.all(caller(ctx).tenantId()).forEach(job -> list.add(view(job)));
    ctx.json(list);
  }

  private void create(Context ctx) {
    Caller caller = caller(ctx);
    ObjectNode schedule = schedule(requests.body(ctx));
    Schedule made = FIELDS.translate(() -> operations.create(caller, schedule));
    ctx.status(201);
    ctx.json(JSON.objectNode().put("id", made.id().toString()));
  }

  private void trigger(Context ctx) {
    Caller caller = caller(ctx);
    UUID id = Requests.id(ctx, "job");
    jobs.get(caller.tenantId(), id, "job");
    Run run = operations.runNow(caller, id);
    ctx.status(202);
    ctx.json(JSON.objectNode().put("id", id.toString()).put("run_id", run.id().toString()));
  }

  /** A job as the plugin wrote it, as the body of a Chime schedule. */
  private ObjectNode schedule(JsonNode body) {
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    if (!body.isObject()) {
      throw new InvalidInputException(
          "body", "must be a job: an object with name, target_url and interval_secs");
    }
    CompatSchedules.onlyFields(
        body, errors, java.util.Set.of("name", "target_url", "method", "interval_secs", "enabled"));
    JsonNode interval = body.get("interval_secs");
    if (interval == null || interval.isNull()) {
      errors.add("interval_secs", "is required: the seconds between two calls, such as 300");
    }
    errors.throwIfAny();
    ObjectNode schedule = JSON.objectNode();
    schedule.set("name", body.get("name"));
    if (body.has("enabled")) {
      schedule.set("enabled", body.get("enabled"));
    }
    schedule.putObject("trigger").put("type", "interval").set("seconds", interval);
    ObjectNode target = schedule.putObject("target").put("type", "http");
    target.set("url", body.get("target_url"));
    if (body.has("method")) {
      target.set("method", body.get("method"));
    }
    schedule.putObject("labels").put(CompatSchedules.LABEL, jobs.label());
    return schedule;
  }

  private static ObjectNode view(Schedule job) {
    ObjectNode node = JSON.objectNode();
    node.put("id", job.id().toString());
    node.put("name", job.spec().name());
    node.put("target_url", job.spec().target().url().toString());
    node.put("method", job.spec().target().method());
    if (job.spec().trigger() instanceof IntervalTrigger interval) {
      node.put("interval_secs", interval.every().toSeconds());
    } else {
      node.putNull("interval_secs");
    }
    node.put("enabled", job.spec().enabled());
    return node;
  }
}
