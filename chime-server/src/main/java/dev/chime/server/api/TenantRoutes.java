package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.chime.ConflictException;
import dev.chime.NotFoundException;
import dev.chime.schedule.JsonFields;
import dev.chime.schedule.ScheduleJson;
import dev.chime.server.auth.Access;
import dev.chime.server.auth.Caller;
import dev.chime.server.auth.TenantQuotas;
import dev.chime.store.TenantStore;
import dev.chime.tenant.Quotas;
import dev.chime.tenant.Tenant;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code /api/v1/tenants}: an operator makes tenants, sets their limits and removes empty ones; a
 * tenant's admin reads its own tenant and limits.
 */
final class TenantRoutes {
  private static final String BASE = "/api/v1/tenants";
  private static final String ID_PATTERN = "[a-z0-9][a-z0-9._-]{0,63}";

  /** Each quota field with its lowest and highest value. */
  private static final Map<String, int[]> QUOTA_FIELDS =
      Map.of(
          "max_enabled_schedules", new int[] {0, Quotas.MAX_ENABLED_SCHEDULES_LIMIT},
          "min_interval_s", new int[] {1, Quotas.MIN_INTERVAL_S_LIMIT},
          "max_running", new int[] {1, Quotas.MAX_RUNNING_LIMIT},
          "max_payload_bytes", new int[] {2, Quotas.MAX_PAYLOAD_BYTES_LIMIT});

  private final TenantStore tenants;
  private final TenantQuotas quotas;
  private final Requests requests;
  private final Clock clock;

  TenantRoutes(TenantStore tenants, TenantQuotas quotas, Requests requests, Clock clock) {
    this.tenants = tenants;
    this.quotas = quotas;
    this.requests = requests;
    this.clock = clock;
  }

  void register(RoutesConfig app) {
    app.get(BASE, this::list, Access.OPERATOR);
    app.post(BASE, this::create, Access.OPERATOR);
    app.get(BASE + "/{id}", ctx -> ctx.json(view(find(ctx))), Access.ADMIN);
    app.patch(BASE + "/{id}", this::patch, Access.OPERATOR);
    app.delete(BASE + "/{id}", this::delete, Access.OPERATOR);
  }

  private void list(Context ctx) {
    var body = JsonNodeFactory.instance.objectNode();
    var items = body.putArray("items");
    tenants.list().forEach(tenant -> items.add(view(tenant)));
    ctx.json(body);
  }

  private void create(Context ctx) {
    Caller caller = caller(ctx);
    JsonNode body = requests.body(ctx);
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    object(body, Set.of("id", "name", "quotas"), errors);
    String id = JsonFields.requiredText(body, "id", "id", 64, errors);
    if (id != null && !id.matches(ID_PATTERN)) {
      errors.add(
          "id",
          "must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit");
    }
    String name = JsonFields.requiredText(body, "name", "name", 200, errors);
    Quotas.Overrides own = quotas(body.get("quotas"), Quotas.Overrides.NONE, errors);
    errors.throwIfAny();
    Tenant tenant = new Tenant(id, name, now(), own);
    tenants.insert(tenant, caller.actor(), AdminViews::tenantRecord);
    ctx.status(201);
    ctx.header("Location", BASE + "/" + id);
    ctx.json(view(tenant));
  }

  private void patch(Context ctx) {
    Caller caller = caller(ctx);
    String id = ctx.pathParam("id");
    JsonNode body = requests.body(ctx);
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    object(body, Set.of("name", "quotas"), errors);
    String name =
        body.has("name") ? JsonFields.requiredText(body, "name", "name", 200, errors) : null;
    errors.throwIfAny();
    Tenant updated =
        tenants
            .update(
                id,
                current -> {
                  ScheduleJson.Errors later = new ScheduleJson.Errors();
                  Quotas.Overrides own = quotas(body.get("quotas"), current.quotas(), later);
                  later.throwIfAny();
                  return new Tenant(
                      id, name == null ? current.name() : name, current.createdAt(), own);
                },
                caller.actor(),
                now(),
                AdminViews::tenantRecord)
            .orElseThrow(() -> new NotFoundException("tenant", id));
    quotas.changed(id);
    ctx.json(view(updated));
  }

  private void delete(Context ctx) {
    String id = ctx.pathParam("id");
    if (id.equals(Tenant.DEFAULT)) {
      throw new ConflictException("", "the default tenant cannot be deleted");
    }
    switch (tenants.delete(id, caller(ctx).actor(), now(), AdminViews::tenantRecord)) {
      case NOT_FOUND -> throw new NotFoundException("tenant", id);
      case NOT_EMPTY ->
          throw new ConflictException(
              "", "tenant " + id + " still has schedules; delete them first");
      case DELETED -> {
        quotas.changed(id);
        ctx.status(204);
      }
    }
  }

  /** The caller's own tenant, or for an operator any; another tenant does not exist for it. */
  private Tenant find(Context ctx) {
    Caller caller = caller(ctx);
    String id = ctx.pathParam("id");
    if (!id.equals(caller.tenantId()) && !caller.operator()) {
      throw new NotFoundException("tenant", id);
    }
    return tenants.get(id).orElseThrow(() -> new NotFoundException("tenant", id));
  }

  private com.fasterxml.jackson.databind.node.ObjectNode view(Tenant tenant) {
    return AdminViews.tenant(tenant, quotas.of(tenant.quotas()));
  }

  private static void object(JsonNode body, Set<String> fields, ScheduleJson.Errors errors) {
    if (!body.isObject()) {
      errors.add("body", "must be a JSON object");
      errors.throwIfAny();
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!fields.contains(field)) {
        errors.add(
            field,
            "unknown field; this object has "
                + String.join(", ", fields.stream().sorted().toList()));
      }
    }
  }

  /**
   * The tenant's own limits after {@code node} is merged into {@code current}: a number sets a
   * limit, null returns it to the node's default, an absent field keeps it.
   */
  private static Quotas.Overrides quotas(
      JsonNode node, Quotas.Overrides current, ScheduleJson.Errors errors) {
    if (node == null) {
      return current;
    }
    if (!node.isObject()) {
      errors.add(
          "quotas",
          "must be an object of "
              + String.join(", ", QUOTA_FIELDS.keySet().stream().sorted().toList()));
      return current;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!QUOTA_FIELDS.containsKey(field)) {
        errors.add(
            "quotas." + field,
            "unknown limit; the limits are "
                + String.join(", ", QUOTA_FIELDS.keySet().stream().sorted().toList()));
      }
    }
    return new Quotas.Overrides(
        limit(node, "max_enabled_schedules", current.maxEnabledSchedules(), errors),
        limit(node, "min_interval_s", current.minIntervalSeconds(), errors),
        limit(node, "max_running", current.maxRunning(), errors),
        limit(node, "max_payload_bytes", current.maxPayloadBytes(), errors));
  }

  private static OptionalInt limit(
      JsonNode quotas, String field, OptionalInt current, ScheduleJson.Errors errors) {
    JsonNode value = quotas.get(field);
    if (value == null) {
      return current;
    }
    if (value.isNull()) {
      return OptionalInt.empty();
    }
    int[] range = QUOTA_FIELDS.get(field);
    if (!value.isIntegralNumber()
        || !value.canConvertToInt()
        || value.intValue() < range[0]
        || value.intValue() > range[1]) {
      errors.add(
          "quotas." + field,
          "must be a whole number from "
              + range[0]
              + " to "
              + range[1]
              + ", or null for the default");
      return current;
    }
    return OptionalInt.of(value.intValue());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
