package dev.chime.run;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/** One attempt at firing a schedule for one scheduled instant. */
public record Run(
    UUID id,
    String tenantId,
    UUID scheduleId,
    String runKey,
    int attempt,
    RunOrigin origin,
    RunStatus status,
    Instant scheduledAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    OptionalLong durationMs,
    OptionalInt httpStatus,
    Optional<String> errorCode,
    Optional<String> errorMessage,
    Optional<String> responseExcerpt,
    String traceId,
    Instant createdAt) {
  public Run {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(runKey, "runKey");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(scheduledAt, "scheduledAt");
  }

  /**
   * The identity of a fire: the schedule and its scheduled instant. Every attempt at the same
   * instant shares it, and targets receive it as {@code Idempotency-Key}.
   */
  public static String runKey(UUID scheduleId, Instant scheduledAt) {
    return scheduleId + "@" + scheduledAt;
  }
}
