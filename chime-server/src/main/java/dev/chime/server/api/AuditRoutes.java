package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import dev.chime.InvalidInputException;
import dev.chime.audit.AuditQuery;
import dev.chime.schedule.ScheduleJson;
import dev.chime.server.auth.Access;
import dev.chime.store.AuditStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Optional;

/** {@code /api/v1/audit}: the tenant's trail of changes, newest first, for its admins. */
final class AuditRoutes {
  private final AuditStore audit;
  private final TenantScope tenants;

  AuditRoutes(AuditStore audit, TenantScope tenants) {
    this.audit = audit;
    this.tenants = tenants;
  }

  void register(RoutesConfig app) {
    app.get("/api/v1/audit", this::list, Access.ADMIN);
  }

  private void list(Context ctx) {
    String tenantId = tenants.forQuery(ctx, caller(ctx));
    AuditQuery query =
        new AuditQuery(
            Requests.textParam(ctx, "object_id", 64),
            Requests.textParam(ctx, "actor", 64),
            Requests.textParam(ctx, "action", 64),
            instant(ctx, "since"),
            instant(ctx, "until"),
            Requests.textParam(ctx, "cursor", 500),
            Requests.intParam(ctx, "limit", 50, 1, AuditQuery.MAX_LIMIT));
    ctx.json(JsonViews.page(audit.list(tenantId, query), AdminViews::audit));
  }

  private static Optional<Instant> instant(Context ctx, String name) {
    Optional<String> text = Requests.textParam(ctx, name, 64);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    Instant at = ScheduleJson.instant(text.get(), name, errors);
    errors.throwIfAny();
    if (at == null) {
      throw new InvalidInputException(name, "is not an instant");
    }
    return Optional.of(at);
  }
}
