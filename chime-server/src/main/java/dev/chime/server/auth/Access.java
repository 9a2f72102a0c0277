package dev.chime.server.auth;

import dev.chime.tenant.Scope;
import io.javalin.security.RouteRole;
import java.util.Optional;

/**
 * What a route asks of its caller; every route names one. A route without one is refused to
 * everyone, so that a route added without thought is closed, not open.
 */
public enum Access implements RouteRole {
  /** Anyone: health, the OpenAPI document, a cron preview, an async target's callback. */
  PUBLIC(Optional.empty()),
  /** Any valid token, whatever its scopes: which token am I. */
  AUTHENTICATED(Optional.empty()),
  SCHEDULES_READ(Optional.of(Scope.SCHEDULES_READ)),
  SCHEDULES_WRITE(Optional.of(Scope.SCHEDULES_WRITE)),
  SCHEDULES_RUN(Optional.of(Scope.SCHEDULES_RUN)),
  SCHEDULES_DELETE(Optional.of(Scope.SCHEDULES_DELETE)),
  RUNS_READ(Optional.of(Scope.RUNS_READ)),
  /**
   * Prometheus' scrape of {@code /metrics}: a token of the default tenant with {@code metrics:read}
   * (or admin), since the metrics count every tenant's work.
   */
  METRICS(Optional.of(Scope.METRICS_READ)),
  /** The tenant's admin: its tokens, its audit trail. */
  ADMIN(Optional.of(Scope.ADMIN)),
  /** An admin of the default tenant: the installation's tenants, their limits, the nodes. */
  OPERATOR(Optional.of(Scope.ADMIN));

  private final Optional<Scope> scope;

  Access(Optional<Scope> scope) {
    this.scope = scope;
  }

  /** The scope a token needs; empty for {@link #PUBLIC} and {@link #AUTHENTICATED}. */
  public Optional<Scope> scope() {
    return scope;
  }
}
