package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import dev.chime.InvalidInputException;
import dev.chime.NotFoundException;
import dev.chime.alert.AlertRule;
import dev.chime.alert.RuleKind;
import dev.chime.server.alerts.AlertRuleJson;
import dev.chime.server.alerts.Alerts;
import dev.chime.server.auth.Access;
import dev.chime.server.auth.Caller;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/** {@code /api/v1/alert-rules}: what a tenant is told about, of one schedule or of every one. */
final class AlertRuleRoutes {
  private static final String BASE = "/api/v1/alert-rules";

  private final Alerts alerts;
  private final Requests requests;
  private final Clock clock;

  AlertRuleRoutes(Alerts alerts, Requests requests, Clock clock) {
    this.alerts = alerts;
    this.requests = requests;
    this.clock = clock;
  }

  void register(RoutesConfig app) {
    app.post(BASE, this::create, Access.ADMIN);
    app.get(BASE, this::list, Access.ADMIN);
    app.get(BASE + "/{id}", ctx -> ctx.json(AlertRuleJson.view(find(ctx))), Access.ADMIN);
    app.patch(BASE + "/{id}", this::patch, Access.ADMIN);
    app.delete(BASE + "/{id}", this::delete, Access.ADMIN);
  }

  private void create(Context ctx) {
    Caller caller = caller(ctx);
    AlertRule rule = AlertRuleJson.read(requests.body(ctx), caller.tenantId(), now());
    if (rule.kind() == RuleKind.STALLED && !caller.operator()) {
      throw new InvalidInputException(
          "kind",
          "a stalled rule watches every node of the installation: only an operator (an admin of"
              + " the default tenant) may make one");
    }
    alerts.rules().insert(rule, caller.actor(), AlertRuleJson::record);
    ctx.status(201);
    ctx.header("Location", BASE + "/" + rule.id());
    ctx.json(AlertRuleJson.view(rule));
  }

  private void patch(Context ctx) {
    Caller caller = caller(ctx);
    UUID id = Requests.id(ctx, "alert rule");
    var patch = requests.body(ctx);
    AlertRule changed =
        alerts
            .rules()
            .update(
                caller.tenantId(),
                id,
                current -> AlertRuleJson.patch(current, patch, now()),
                caller.actor(),
                AlertRuleJson::record)
            .orElseThrow(() -> new NotFoundException("alert rule", id.toString()));
    ctx.json(AlertRuleJson.view(changed));
  }

  private void list(Context ctx) {
    Optional<UUID> schedule =
        Requests.textParam(ctx, "schedule_id", 36)
            .map(
                text -> {
                  try {
                    return UUID.fromString(text);
                  } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("schedule_id", "must be a schedule id");
                  }
                });
    var page =
        alerts
            .rules()
            .list(
                caller(ctx).tenantId(),
                schedule,
                Requests.textParam(ctx, "cursor", 500),
                Requests.intParam(ctx, "limit", 50, 1, 500));
    ctx.json(JsonViews.page(page, AlertRuleJson::view));
  }

  private void delete(Context ctx) {
    Caller caller = caller(ctx);
    UUID id = Requests.id(ctx, "alert rule");
    alerts
        .rules()
        .delete(caller.tenantId(), id, caller.actor(), now(), AlertRuleJson::record)
        .orElseThrow(() -> new NotFoundException("alert rule", id.toString()));
    ctx.status(204);
  }

  private AlertRule find(Context ctx) {
    UUID id = Requests.id(ctx, "alert rule");
    return alerts
        .rules()
        .get(caller(ctx).tenantId(), id)
        .orElseThrow(() -> new NotFoundException("alert rule", id.toString()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
