package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.InvalidInputException;
import dev.chime.NotFoundException;
import dev.chime.dispatch.CallbackTokens;
import dev.chime.engine.Engine;
import dev.chime.run.Run;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.ScheduleJson;
import dev.chime.server.auth.Access;
import dev.chime.server.auth.Caller;
import dev.chime.store.RunStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/runs/{id}}: read a run, retry or cancel it, and the callback an async target uses
 * to report the result of a run it accepted with 202; {@code /api/v1/schedule-runs/{id}} reads and
 * retries the same runs, and takes a report by the run's id with an API token.
 */
final class RunRoutes {
  private static final Set<String> REPORT_FIELDS = Set.of("status", "result", "error");
  private static final String RUNS = "/api/v1/runs";

  /** The control-plane design's name for runs: the same runs, the same answers. */
  private static final String SCHEDULE_RUNS = "/api/v1/schedule-runs";

  private final RunStore runs;
  private final Requests requests;
  private final Clock clock;
  private final Engine engine;

  RunRoutes(RunStore runs, Requests requests, Clock clock, Engine engine) {
    this.runs = runs;
    this.requests = requests;
    this.clock = clock;
    this.engine = engine;
  }

  void register(RoutesConfig app) {
    for (String base : List.of(RUNS, SCHEDULE_RUNS)) {
      app.get(
          base + "/{id}",
          ctx -> ctx.json(JsonViews.run(find(caller(ctx).tenantId(), Requests.id(ctx, "run")))),
          Access.RUNS_READ);
      app.post(base + "/{id}/retry", this::retry, Access.SCHEDULES_RUN);
    }
    app.post(
        RUNS + "/{id}/cancel",
        ctx -> {
          Caller caller = caller(ctx);
          ctx.json(
              JsonViews.run(
                  runs.cancel(caller.tenantId(), Requests.id(ctx, "run"), now(), caller.actor())));
        },
        Access.SCHEDULES_RUN);
    // the run's own callback token is the credential here, not an API token
    app.post(RUNS + "/{id}/complete", this::complete, Access.PUBLIC);
    // a control plane's worker reports on the job_run_id of an envelope with its own API token
    app.post(SCHEDULE_RUNS + "/{id}/complete", this::completeReported, Access.SCHEDULES_RUN);
  }

  private void retry(Context ctx) {
    Caller caller = caller(ctx);
    Run retry = runs.retry(caller.tenantId(), Requests.id(ctx, "run"), now(), caller.actor());
    engine.wake();
    ctx.status(202);
    ctx.header("Location", RUNS + "/" + retry.id());
    ctx.json(JsonViews.run(retry));
  }

  private void completeReported(Context ctx) {
    Caller caller = caller(ctx);
    UUID id = Requests.id(ctx, "run");
    RunOutcome outcome = report(requests.body(ctx));
    Run done = runs.completeReported(caller.tenantId(), id, outcome, now(), caller.actor());
    engine.wake();
    ctx.json(JsonViews.run(done));
  }

  private Run find(String tenantId, UUID id) {
    return runs.get(tenantId, id).orElseThrow(() -> new NotFoundException("run", id.toString()));
  }

  /**
   * An async target reports a result. The token it got in {@code Chime-Callback-Token} comes back
   * as {@code Authorization: Bearer <token>} (or in the same header); it works once.
   */
  private void complete(Context ctx) {
    UUID id = Requests.id(ctx, "run");
    Optional<String> token = token(ctx);
    JsonNode body = requests.body(ctx);
    RunOutcome outcome = report(body);
    if (token.isEmpty()) {
      forbidden(
          ctx,
          "no callback token: send the Chime-Callback-Token of the call as Authorization: Bearer <token>");
      return;
    }
    Instant now = now();
    RunStore.CallbackResult result =
        runs.completeByCallback(id, CallbackTokens.hash(token.get()), outcome, now);
    switch (result) {
      case NOT_FOUND -> throw new NotFoundException("run", id.toString());
      case FORBIDDEN ->
          forbidden(ctx, "the callback token is not valid for run " + id + ", or was already used");
      case COMPLETED -> {
        engine.wake();
        ctx.json(JsonViews.run(runs.getCompletedByCallback(id).orElseThrow()));
      }
    }
  }

  private static RunOutcome report(JsonNode body) {
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    if (!body.isObject()) {
      throw new InvalidInputException("body", "must be an object such as {\"status\":\"success\"}");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!REPORT_FIELDS.contains(field)) {
        errors.add(field, "unknown field; a report has status, result and error");
      }
    }
    String status = body.path("status").asText("");
    if (!status.equals("success") && !status.equals("failed")) {
      errors.add("status", "must be success or failed");
    }
    JsonNode error = body.get("error");
    String message = null;
    if (error != null && !error.isNull()) {
      if (error.isTextual()) {
        message = error.textValue();
      } else if (error.isObject()) {
        message = error.toString();
      } else {
        errors.add("error", "must be a string or an object");
      }
    }
    String result =
        body.has("result") && !body.get("result").isNull() ? body.get("result").toString() : null;
    if (result != null && result.length() > 65_536) {
      errors.add("result", "must be at most 65536 characters of JSON, got " + result.length());
    }
    errors.throwIfAny();
    RunOutcome outcome =
        status.equals("success")
            ? new RunOutcome(
                RunStatus.SUCCESS,
                OptionalInt.of(202),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0)
            : RunOutcome.failure(
                RunStatus.FAILED,
                OptionalInt.of(202),
                "reported_failure",
                message == null ? "the target reported a failure" : message,
                null,
                0);
    return outcome.withResult(Optional.ofNullable(result));
  }

  private static Optional<String> token(Context ctx) {
    String authorization = ctx.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(authorization.substring(7).trim());
    }
    return Optional.ofNullable(ctx.header("Chime-Callback-Token")).map(String::trim);
  }

  private static void forbidden(Context ctx, String detail) {
    Problems.send(ctx, 403, Problems.problem(ctx, 403, "forbidden", "Forbidden", detail));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
