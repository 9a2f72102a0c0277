package dev.chime.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A stored schedule: the user's spec plus what Chime keeps about it. */
public record Schedule(
    UUID id,
    String tenantId,
    ScheduleSpec spec,
    Optional<Instant> nextFireAt,
    Optional<Instant> lastFireAt,
    Instant createdAt,
    Instant updatedAt,
    Health health) {
  /**
   * How the schedule has been doing: failures in a row (final ones, after retries), the status of
   * its last finished run, and why Chime disabled it, if it did.
   */
  public record Health(
      int consecutiveFailures, Optional<String> lastStatus, Optional<String> disabledReason) {
    public static final Health NEW = new Health(0, Optional.empty(), Optional.empty());
  }

  public Schedule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(nextFireAt, "nextFireAt");
    Objects.requireNonNull(lastFireAt, "lastFireAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(health, "health");
  }
}
