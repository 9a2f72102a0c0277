package dev.chime.server.api;

import dev.chime.InvalidInputException;
import dev.chime.NotFoundException;
import dev.chime.server.auth.Caller;
import dev.chime.store.TenantStore;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Which tenant an admin request acts in: the caller's own, or, for an operator, the one it names
 * ({@code ?tenant=} or a body field). Naming any other tenant is answered as if it did not exist,
 * so a tenant learns nothing of the others.
 */
final class TenantScope {
  private final TenantStore tenants;

  TenantScope(TenantStore tenants) {
    this.tenants = tenants;
  }

  String forQuery(Context ctx, Caller caller) {
    Optional<String> named = Requests.textParam(ctx, "tenant", 64);
    if (named.isEmpty() || named.get().equals(caller.tenantId())) {
      return caller.tenantId();
    }
    if (!caller.operator() || tenants.get(named.get()).isEmpty()) {
      throw new NotFoundException("tenant", named.get());
    }
    return named.get();
  }

  String forBody(Caller caller, Optional<String> named, String field) {
    if (named.isEmpty() || named.get().equals(caller.tenantId())) {
      return caller.tenantId();
    }
    if (!caller.operator() || tenants.get(named.get()).isEmpty()) {
      throw new InvalidInputException(
          field, "names no tenant you may act in: '" + named.get() + "'");
    }
    return named.get();
  }
}
