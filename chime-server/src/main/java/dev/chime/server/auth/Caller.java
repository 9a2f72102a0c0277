package dev.chime.server.auth;

import dev.chime.audit.Actor;
import dev.chime.tenant.Quotas;
import dev.chime.tenant.Scope;
import dev.chime.tenant.Tenant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: the tenant a request acts in, the actor the audit trail names, what the token may
 * do, and the tenant's limits. With authentication off every caller is the default tenant's
 * anonymous operator.
 */
public record Caller(String tenantId, Actor actor, Set<Scope> scopes, Quotas quotas) {
  public Caller {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(actor, "actor");
    scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    Objects.requireNonNull(quotas, "quotas");
  }

  static Caller anonymous(Quotas quotas) {
    return new Caller(Tenant.DEFAULT, Actor.ANONYMOUS, EnumSet.allOf(Scope.class), quotas);
  }

  /** {@code admin} includes every scope. */
  public boolean allows(Scope scope) {
    return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
  }

  /** An admin of the default tenant, who administers the installation. */
  public boolean operator() {
    return tenantId.equals(Tenant.DEFAULT) && scopes.contains(Scope.ADMIN);
  }
}
