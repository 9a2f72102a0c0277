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
    Instant updatedAt) {
  public Schedule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(nextFireAt, "nextFireAt");
    Objects.requireNonNull(lastFireAt, "lastFireAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
