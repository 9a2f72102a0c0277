package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import dev.chime.InvalidInputException;
import dev.chime.NotFoundException;
import dev.chime.alert.Incident;
import dev.chime.server.alerts.Alerts;
import dev.chime.server.alerts.IncidentJson;
import dev.chime.server.auth.Access;
import dev.chime.store.IncidentStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/incidents}: the episodes the tenant's alert rules opened, in the order they
 * opened, open or closed, of one rule or about one schedule.
 */
final class IncidentRoutes {
  private static final String BASE = "/api/v1/incidents";

  private final Alerts alerts;

  IncidentRoutes(Alerts alerts) {
    this.alerts = alerts;
  }

  void register(RoutesConfig app) {
    app.get(BASE, this::list, Access.ADMIN);
    app.get(BASE + "/{id}", this::one, Access.ADMIN);
  }

  private void list(Context ctx) {
    Incident.State state =
        switch (Requests.textParam(ctx, "state", 16).orElse("any").toLowerCase(Locale.ROOT)) {
          case "open" -> Incident.State.OPEN;
          case "closed" -> Incident.State.CLOSED;
          case "any" -> Incident.State.ANY;
          default -> throw new InvalidInputException("state", "must be open, closed or any");
        };
    var page =
        alerts
            .incidents()
            .list(
                caller(ctx).tenantId(),
                new IncidentStore.Filter(
                    state,
                    id(ctx, "rule_id", "an alert rule id"),
                    id(ctx, "schedule_id", "a schedule id").map(UUID::toString)),
                Requests.textParam(ctx, "cursor", 500),
                Requests.intParam(ctx, "limit", 50, 1, 500));
    ctx.json(JsonViews.page(page, incident -> IncidentJson.view(incident, alerts.publicUrl())));
  }

  private void one(Context ctx) {
    UUID id = Requests.id(ctx, "incident");
    Incident incident =
        alerts
            .incidents()
            .get(caller(ctx).tenantId(), id)
            .orElseThrow(() -> new NotFoundException("incident", id.toString()));
    ctx.json(IncidentJson.view(incident, alerts.publicUrl()));
  }

  private static Optional<UUID> id(Context ctx, String param, String what) {
    return Requests.textParam(ctx, param, 36)
        .map(
            text -> {
              try {
                return UUID.fromString(text);
              } catch (IllegalArgumentException e) {
                throw new InvalidInputException(param, "must be " + what);
              }
            });
  }
}
