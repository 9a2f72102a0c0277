package dev.chime.server.api;

import static dev.chime.server.auth.Authenticator.caller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.NotFoundException;
import dev.chime.schedule.JsonFields;
import dev.chime.schedule.ScheduleJson;
import dev.chime.server.auth.Access;
import dev.chime.server.auth.Caller;
import dev.chime.server.auth.Tokens;
import dev.chime.store.Page;
import dev.chime.store.TokenStore;
import dev.chime.tenant.ApiToken;
import dev.chime.tenant.Scope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/tokens}: a tenant's admin issues, lists and revokes its tenant's tokens; an
 * operator does so for any tenant ({@code tenant_id} in the body, {@code ?tenant=} in reads). A
 * token's text is answered once, when it is made.
 */
final class TokenRoutes {
  private static final String BASE = "/api/v1/tokens";
  private static final Set<String> FIELDS = Set.of("name", "scopes", "expires_at", "tenant_id");

  private final TokenStore tokens;
  private final TenantScope tenants;
  private final Requests requests;
  private final Clock clock;

  TokenRoutes(TokenStore tokens, TenantScope tenants, Requests requests, Clock clock) {
    this.tokens = tokens;
    this.tenants = tenants;
    this.requests = requests;
    this.clock = clock;
  }

  void register(RoutesConfig app) {
    app.post(BASE, this::create, Access.ADMIN);
    app.get(BASE, this::list, Access.ADMIN);
    app.get(BASE + "/current", this::current, Access.AUTHENTICATED);
    app.get(BASE + "/{id}", ctx -> ctx.json(AdminViews.token(find(ctx), now())), Access.ADMIN);
    app.delete(BASE + "/{id}", this::revoke, Access.ADMIN);
  }

  private void create(Context ctx) {
    Caller caller = caller(ctx);
    JsonNode body = requests.body(ctx);
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    if (!body.isObject()) {
      errors.add(
          "body", "must be an object such as {\"name\":\"ci\",\"scopes\":[\"schedules:read\"]}");
      errors.throwIfAny();
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        errors.add(field, "unknown field; a token has name, scopes, expires_at and tenant_id");
      }
    }
    String name = JsonFields.requiredText(body, "name", "name", 200, errors);
    Set<Scope> scopes = scopes(body.get("scopes"), errors);
    Instant now = now();
    Optional<Instant> expiresAt = Optional.empty();
    JsonNode expires = body.get("expires_at");
    if (expires != null && !expires.isNull()) {
      if (!expires.isTextual()) {
        errors.add("expires_at", "must be an ISO-8601 instant such as 2027-01-01T00:00:00Z");
      } else {
        Instant at = ScheduleJson.instant(expires.textValue(), "expires_at", errors);
        if (at != null && !at.isAfter(now)) {
          errors.add("expires_at", "is in the past (" + at + " is not after now, " + now + ")");
        } else if (at != null) {
          expiresAt = Optional.of(at.truncatedTo(ChronoUnit.MICROS));
        }
      }
    }
    String tenantField = JsonFields.optionalText(body, "tenant_id", "tenant_id", 64, errors);
    errors.throwIfAny();
    String tenantId = tenants.forBody(caller, Optional.ofNullable(tenantField), "tenant_id");
    String text = Tokens.generate();
    ApiToken token =
        new ApiToken(
            UUID.randomUUID(),
            tenantId,
            name,
            Tokens.hash(text),
            Tokens.prefix(text),
            scopes,
            now,
            expiresAt,
            Optional.empty(),
            caller.actor().tokenId());
    tokens.insert(token, caller.actor(), AdminViews::tokenRecord);
    ctx.status(201);
    ctx.header("Location", BASE + "/" + token.id());
    ctx.header("Cache-Control", "no-store");
    ctx.json(AdminViews.token(token, now).put("token", text));
  }

  private static Set<Scope> scopes(JsonNode node, ScheduleJson.Errors errors) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    if (node == null || node.isNull()) {
      errors.add("scopes", "is required: a list of " + Scope.names());
      return scopes;
    }
    if (!node.isArray() || node.isEmpty() || node.size() > Scope.values().length) {
      errors.add(
          "scopes", "must be a list of 1 to " + Scope.values().length + " of " + Scope.names());
      return scopes;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      Optional<Scope> scope =
          item.isTextual() ? Scope.fromWire(item.textValue()) : Optional.empty();
      if (scope.isEmpty()) {
        errors.add("scopes[" + i + "]", "must be one of " + Scope.names());
      } else {
        scopes.add(scope.get());
      }
    }
    return scopes;
  }

  private void list(Context ctx) {
    String tenantId = tenants.forQuery(ctx, caller(ctx));
    Page<ApiToken> page =
        tokens.list(
            tenantId,
            Requests.textParam(ctx, "cursor", 500),
            Requests.intParam(ctx, "limit", 50, 1, 500));
    Instant now = now();
    ctx.json(JsonViews.page(page, token -> AdminViews.token(token, now)));
  }

  /** The token the request came with; with authentication off, an anonymous stand-in. */
  private void current(Context ctx) {
    Caller caller = caller(ctx);
    if (caller.actor().tokenId().isEmpty()) {
      var node = AdminViews.anonymous(caller);
      ctx.json(node);
      return;
    }
    UUID id = caller.actor().tokenId().get();
    ctx.json(AdminViews.token(tokens.get(caller.tenantId(), id).orElseThrow(), now()));
  }

  private void revoke(Context ctx) {
    Caller caller = caller(ctx);
    String tenantId = tenants.forQuery(ctx, caller);
    UUID id = Requests.id(ctx, "token");
    tokens
        .revoke(tenantId, id, caller.actor(), now(), AdminViews::tokenRecord)
        .orElseThrow(() -> new NotFoundException("token", id.toString()));
    ctx.status(204);
  }

  private ApiToken find(Context ctx) {
    String tenantId = tenants.forQuery(ctx, caller(ctx));
    UUID id = Requests.id(ctx, "token");
    return tokens
        .get(tenantId, id)
        .orElseThrow(() -> new NotFoundException("token", id.toString()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
