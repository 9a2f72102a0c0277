package dev.chime.tenant;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What an API token may do. {@link #ADMIN} manages the tenant's tokens and reads its audit trail,
 * and includes every other scope; an admin token of the {@code default} tenant also administers the
 * installation (tenants, their quotas, nodes).
 */
public enum Scope {
  SCHEDULES_READ("schedules:read"),
  SCHEDULES_WRITE("schedules:write"),
  SCHEDULES_RUN("schedules:run"),
  SCHEDULES_DELETE("schedules:delete"),
  RUNS_READ("runs:read"),
  /** Reading the node's metrics; they count every tenant's work, so give it to monitoring only. */
  METRICS_READ("metrics:read"),
  ADMIN("admin");

  private final String wireName;

  Scope(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Scope> fromWire(String text) {
    for (Scope scope : values()) {
      if (scope.wireName.equals(text)) {
        return Optional.of(scope);
      }
    }
    return Optional.empty();
  }

  /** The wire names of every scope, for error messages. */
  public static String names() {
    StringBuilder names = new StringBuilder();
    for (Scope scope : values()) {
      names.append(names.isEmpty() ? "" : ", ").append(scope.wireName);
    }
    return names.toString();
  }

  /** Scopes as stored: space-separated wire names. */
  public static String store(Set<Scope> scopes) {
    StringBuilder text = new StringBuilder();
    for (Scope scope : values()) {
      if (scopes.contains(scope)) {
        text.append(text.isEmpty() ? "" : " ").append(scope.wireName);
      }
    }
    return text.toString();
  }

  public static Set<Scope> stored(String text) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String name : text.trim().split("\\s+")) {
      if (!name.isEmpty()) {
        scopes.add(
            fromWire(name.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new IllegalStateException("unknown stored scope " + name)));
      }
    }
    return scopes;
  }
}
