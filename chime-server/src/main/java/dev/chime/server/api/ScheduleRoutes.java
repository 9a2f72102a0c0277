package dev.chime.server.api;

import dev.chime.schedule.Schedule;
import dev.chime.store.Page;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleQuery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.UUID;

/**
 * {@code /api/v1/schedules}: create, list, read, replace, patch, delete, enable, disable, run-now,
 * runs.
 */
final class ScheduleRoutes {
  static final String TENANT = "default";
  private static final String BASE = "/api/v1/schedules";

  private final ScheduleOperations operations;
  private final RunStore runs;
  private final Requests requests;

  ScheduleRoutes(ScheduleOperations operations, RunStore runs, Requests requests) {
    this.operations = operations;
    this.runs = runs;
    this.requests = requests;
  }

  void register(RoutesConfig app) {
    app.post(BASE, this::create);
    app.get(BASE, this::list);
    app.get(BASE + "/{id}", ctx -> ctx.json(JsonViews.schedule(operations.get(TENANT, id(ctx)))));
    app.put(
        BASE + "/{id}",
        ctx ->
            ctx.json(JsonViews.schedule(operations.replace(TENANT, id(ctx), requests.body(ctx)))));
    app.patch(
        BASE + "/{id}",
        ctx -> ctx.json(JsonViews.schedule(operations.patch(TENANT, id(ctx), requests.body(ctx)))));
    app.delete(
        BASE + "/{id}",
        ctx -> {
          operations.delete(TENANT, id(ctx));
          ctx.status(204);
        });
    app.post(
        BASE + "/{id}/enable",
        ctx -> ctx.json(JsonViews.schedule(operations.setEnabled(TENANT, id(ctx), true))));
    app.post(
        BASE + "/{id}/disable",
        ctx -> ctx.json(JsonViews.schedule(operations.setEnabled(TENANT, id(ctx), false))));
    app.post(
        BASE + "/{id}/run-now",
        ctx -> {
          var run = operations.runNow(TENANT, id(ctx));
          ctx.status(202);
          ctx.header("Location", "/api/v1/runs/" + run.id());
          ctx.json(JsonViews.run(run));
        });
    app.get(BASE + "/{id}/runs", this::runs);
  }

  private void create(Context ctx) {
    Schedule schedule = operations.create(TENANT, requests.body(ctx));
    ctx.status(201);
    ctx.header("Location", BASE + "/" + schedule.id());
    ctx.json(JsonViews.schedule(schedule));
  }

  private void list(Context ctx) {
    ScheduleQuery query =
        new ScheduleQuery(
            Requests.boolParam(ctx, "enabled"),
            Requests.textParam(ctx, "name", 200),
            Requests.textParam(ctx, "cursor", 500),
            Requests.intParam(ctx, "limit", 50, 1, ScheduleQuery.MAX_LIMIT));
    Page<Schedule> page = operations.list(TENANT, query);
    ctx.json(JsonViews.page(page, JsonViews::schedule));
  }

  private void runs(Context ctx) {
    UUID id = id(ctx);
    operations.get(TENANT, id);
    var page =
        runs.listBySchedule(
            TENANT,
            id,
            Requests.textParam(ctx, "cursor", 500),
            Requests.intParam(ctx, "limit", 50, 1, ScheduleQuery.MAX_LIMIT));
    ctx.json(JsonViews.page(page, JsonViews::run));
  }

  private static UUID id(Context ctx) {
    return Requests.id(ctx, "schedule");
  }
}
