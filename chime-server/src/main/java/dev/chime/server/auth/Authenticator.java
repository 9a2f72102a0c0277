package dev.chime.server.auth;

import dev.chime.audit.Actor;
import dev.chime.dispatch.Cidr;
import dev.chime.store.TokenStore;
import dev.chime.tenant.ApiToken;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs before every matched route: finds the caller from its bearer token and checks that the token
 * may use the route ({@link Access}). Answers 401 with {@code WWW-Authenticate} without a valid
 * token, 403 naming the scope a token lacks, 429 with {@code Retry-After} to an address that sent
 * too many bad tokens.
 */
public final class Authenticator {
  public static final String CALLER = "chime.caller";
  private static final String REALM = "Bearer realm=\"chime\"";

  private final boolean on;
  private final TokenStore tokens;
  private final TenantQuotas quotas;
  private final Clock clock;
  private final BadTokenThrottle throttle;
  private final ClientAddress clientAddress;

  public Authenticator(
      boolean on,
      TokenStore tokens,
      TenantQuotas quotas,
      Clock clock,
      int failuresPerMinute,
      List<Cidr> trustedProxies) {
    this.clientAddress = new ClientAddress(trustedProxies);
    this.on = on;
    this.tokens = tokens;
    this.quotas = quotas;
    this.clock = clock;
    this.throttle = new BadTokenThrottle(clock, failuresPerMinute);
  }

  /** The caller of a request that passed {@link #check}. */
  public static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    if (caller == null) {
      throw new IllegalStateException("no caller on " + ctx.method() + " " + ctx.path());
    }
    return caller;
  }

  public void check(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    Access access =
        roles.stream()
            .filter(Access.class::isInstance)
            .map(Access.class::cast)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "route " + ctx.method() + " " + ctx.endpoint().path + " names no access"));
    if (access == Access.PUBLIC) {
      return;
    }
    Caller caller = on ? authenticate(ctx) : Caller.anonymous(quotas.defaults());
    if (access == Access.METRICS
        && !(caller.tenantId().equals(dev.chime.tenant.Tenant.DEFAULT)
            && caller.allows(dev.chime.tenant.Scope.METRICS_READ))) {
      // the metrics count every tenant's work: only the installation's own tokens read them
      throw new AuthException.Forbidden(
          "metrics:read",
          "only a token of the default tenant with metrics:read (or admin) may scrape");
    }
    if (access == Access.OPERATOR && !caller.operator()) {
      throw new AuthException.Forbidden(
          "admin",
          caller.allows(dev.chime.tenant.Scope.ADMIN)
              ? "only an admin token of the default tenant may do this; this token's tenant is '"
                  + caller.tenantId()
                  + "'"
              : "this token lacks the scope admin (of the default tenant)");
    }
    access
        .scope()
        .filter(scope -> !caller.allows(scope))
        .ifPresent(
            scope -> {
              throw new AuthException.Forbidden(
                  scope.wireName(), "this token lacks the scope " + scope.wireName());
            });
    ctx.attribute(CALLER, caller);
  }

  private Caller authenticate(Context ctx) {
    String address =
        clientAddress.of(ctx.ip(), Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    Optional<Duration> wait = throttle.wait(address);
    if (wait.isPresent()) {
      throw new AuthException.Throttled(wait.get());
    }
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw new AuthException.Unauthorized(
          REALM, "this endpoint needs an API token: send Authorization: Bearer <token>");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
      throw new AuthException.Unauthorized(
          REALM + ", error=\"invalid_request\"", "the Authorization header must be Bearer <token>");
    }
    String presented = header.substring(7).trim();
    String hash = Tokens.hash(presented);
    Optional<ApiToken> token =
        tokens
            .findByHash(hash)
            .filter(t -> Tokens.sameHash(t.tokenHash(), hash))
            .filter(t -> t.activeAt(clock.instant()));
    if (token.isEmpty()) {
      throttle.failed(address);
      throw new AuthException.Unauthorized(
          REALM + ", error=\"invalid_token\"",
          "the token is not valid: unknown, revoked or expired");
    }
    ApiToken found = token.get();
    return new Caller(
        found.tenantId(),
        Actor.token(found.id(), found.name()),
        found.scopes(),
        quotas.of(found.tenantId()));
  }
}
