package dev.chime.tenant;

import java.time.Instant;
import java.util.Objects;

/** A tenant: the owner of schedules, runs, tokens and audit events, with its own limits. */
public record Tenant(String id, String name, Instant createdAt, Quotas.Overrides quotas) {
  /** The tenant every installation has from its first start. */
  public static final String DEFAULT = "default";

  public Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(quotas, "quotas");
  }
}
