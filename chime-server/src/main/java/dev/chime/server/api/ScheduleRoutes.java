package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import dev.chime.InvalidInputException;
import dev.chime.run.Run;
import dev.chime.run.RunStatus;
import dev.chime.schedule.LabelSelector;
import dev.chime.schedule.Schedule;
import dev.chime.server.auth.Access;
import dev.chime.store.Page;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleQuery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/schedules}: create, list, read, replace, patch, delete, enable, disable, run-now,
 * runs; always within the caller's tenant.
 */
final class ScheduleRoutes {
  private static final String BASE = "/api/v1/schedules";

  private final ScheduleOperations operations;
  private final RunStore runs;
  private final Requests requests;

  private final Clock clock;

  ScheduleRoutes(ScheduleOperations operations, RunStore runs, Requests requests, Clock clock) {
    this.operations = operations;
    this.runs = runs;
    this.requests = requests;
    this.clock = clock;
  }

  void register(RoutesConfig app) {
    app.post(BASE, this::create, Access.SCHEDULES_WRITE);
    app.get(BASE, this::list, Access.SCHEDULES_READ);
    app.get(
        BASE + "/{id}",
        ctx -> ctx.json(JsonViews.schedule(operations.get(caller(ctx).tenantId(), id(ctx)))),
        Access.SCHEDULES_READ);
    app.put(
        BASE + "/{id}",
        ctx ->
            ctx.json(
                JsonViews.schedule(operations.replace(caller(ctx), id(ctx), requests.body(ctx)))),
        Access.SCHEDULES_WRITE);
    app.patch(
        BASE + "/{id}",
        ctx ->
            ctx.json(
                JsonViews.schedule(operations.patch(caller(ctx), id(ctx), requests.body(ctx)))),
        Access.SCHEDULES_WRITE);
    app.delete(
        BASE + "/{id}",
        ctx -> {
          operations.delete(caller(ctx), id(ctx));
          ctx.status(204);
        },
        Access.SCHEDULES_DELETE);
    app.post(
        BASE + "/{id}/enable",
        ctx -> ctx.json(JsonViews.schedule(operations.setEnabled(caller(ctx), id(ctx), true))),
        Access.SCHEDULES_WRITE);
    app.post(
        BASE + "/{id}/disable",
        ctx -> ctx.json(JsonViews.schedule(operations.setEnabled(caller(ctx), id(ctx), false))),
        Access.SCHEDULES_WRITE);
    app.post(
        BASE + "/{id}/run-now",
        ctx -> {
          var run = operations.runNow(caller(ctx), id(ctx));
          ctx.status(202);
          ctx.header("Location", "/api/v1/runs/" + run.id());
          ctx.json(JsonViews.run(run));
        },
        Access.SCHEDULES_RUN);
    app.get(BASE + "/{id}/runs", this::runs, Access.RUNS_READ);
    app.get(BASE + "/{id}/stats", this::stats, Access.RUNS_READ);
  }

  private void create(Context ctx) {
    Schedule schedule = operations.create(caller(ctx), requests.body(ctx));
    ctx.status(201);
    ctx.header("Location", BASE + "/" + schedule.id());
    ctx.json(JsonViews.schedule(schedule));
  }

  private void list(Context ctx) {
    Page<Schedule> page = operations.list(caller(ctx).tenantId(), query(ctx));
    ctx.json(JsonViews.page(page, JsonViews::schedule));
  }

  /** The list's filters: enabled, name, q (name or description), label, last_status; paging. */
  static ScheduleQuery query(Context ctx) {
    return new ScheduleQuery(
        Requests.boolParam(ctx, "enabled"),
        Requests.textParam(ctx, "name", 200),
        Requests.textParam(ctx, "q", 200),
        Requests.textParam(ctx, "label", 2000).map(text -> LabelSelector.parse(text, "label")),
        lastStatus(Requests.textParam(ctx, "last_status", 16)),
        Requests.textParam(ctx, "cursor", 500),
        Requests.intParam(ctx, "limit", 50, 1, ScheduleQuery.MAX_LIMIT));
  }

  static Optional<String> lastStatus(Optional<String> text) {
    if (text.isEmpty() || text.get().equals(ScheduleQuery.NO_STATUS)) {
      return text;
    }
    return Optional.of(
        java.util.Arrays.stream(RunStatus.values())
            .filter(RunStatus::isFinal)
            .map(RunStatus::wireName)
            .filter(text.get()::equals)
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "last_status",
                        "must be none or the status of a finished run (success, failed, timeout,"
                            + " skipped, cancelled), got '"
                            + text.get()
                            + "'")));
  }

  private void runs(Context ctx) {
    UUID id = id(ctx);
    String tenant = caller(ctx).tenantId();
    operations.get(tenant, id);
    var page =
        runs.listBySchedule(
            tenant,
            id,
            Requests.textParam(ctx, "cursor", 500),
            Requests.intParam(ctx, "limit", 50, 1, ScheduleQuery.MAX_LIMIT));
    ctx.json(JsonViews.page(page, JsonViews::run));
  }

  /** The most a statistics window may span: the longest runs are kept by default. */
  static final Duration MAX_WINDOW = Duration.ofDays(31);

  private void stats(Context ctx) {
    String tenant = caller(ctx).tenantId();
    Schedule schedule = operations.get(tenant, id(ctx));
    Duration window = window(Requests.textParam(ctx, "window", 16).orElse("24h"));
    Instant to = clock.instant();
    Instant from = to.minus(window);
    List<Run> inWindow = runs.inWindow(tenant, schedule.id(), from, to, ScheduleStats.MAX_RUNS);
    ctx.json(ScheduleStats.of(schedule, inWindow, from, to));
  }

  static Duration window(String text) {
    java.util.regex.Matcher parts =
        java.util.regex.Pattern.compile("([0-9]{1,6})([mhd])").matcher(text);
    if (parts.matches()) {
      long amount = Long.parseLong(parts.group(1));
      Duration window =
          switch (parts.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
      if (!window.isZero() && window.compareTo(MAX_WINDOW) <= 0) {
        return window;
      }
    }
    throw new InvalidInputException(
        "window",
        "must be minutes, hours or days such as 90m, 24h or 7d, at most 31d; got '" + text + "'");
  }

  private static UUID id(Context ctx) {
    return Requests.id(ctx, "schedule");
  }
}
