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
    Optional<String> resultJson,
    Optional<Instant> dueAt,
    String traceId,
    Instant createdAt) {
  public Run {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(runKey, "runKey");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(scheduledAt, "scheduledAt");
  }

  /** A run that starts now: the first attempt of a scheduled instant. */
  public static Run started(String tenantId, UUID scheduleId, Instant scheduledAt, Instant now) {
    return new Run(
        Ids.newId(now),
        tenantId,
        scheduleId,
        runKey(scheduleId, scheduledAt),
        1,
        RunOrigin.SCHEDULE,
        RunStatus.RUNNING,
        scheduledAt,
        Optional.of(now),
        Optional.empty(),
        OptionalLong.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Ids.newTraceId(),
        now);
  }

  /**
   * A run that waits until {@code dueAt}: a run-now, a retry, or an instant queued behind another.
   */
  public static Run queued(
      String tenantId,
      UUID scheduleId,
      String runKey,
      int attempt,
      RunOrigin origin,
      Instant scheduledAt,
      Instant dueAt,
      Instant now) {
    return new Run(
        Ids.newId(now),
        tenantId,
        scheduleId,
        runKey,
        attempt,
        origin,
        RunStatus.QUEUED,
        scheduledAt,
        Optional.empty(),
        Optional.empty(),
        OptionalLong.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(dueAt),
        Ids.newTraceId(),
        now);
  }

  /** An instant that is recorded but never sent, with why. */
  public static Run skipped(
      String tenantId,
      UUID scheduleId,
      Instant scheduledAt,
      Instant now,
      String errorCode,
      String errorMessage) {
    return new Run(
        Ids.newId(now),
        tenantId,
        scheduleId,
        runKey(scheduleId, scheduledAt),
        1,
        RunOrigin.SCHEDULE,
        RunStatus.SKIPPED,
        scheduledAt,
        Optional.empty(),
        Optional.of(now),
        OptionalLong.empty(),
        OptionalInt.empty(),
        Optional.of(errorCode),
        Optional.of(errorMessage),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Ids.newTraceId(),
        now);
  }

  /**
   * The identity of a fire: the schedule and its scheduled instant. Every attempt at the same
   * instant shares it, and targets receive it as {@code Idempotency-Key}.
   */
  public static String runKey(UUID scheduleId, Instant scheduledAt) {
    return scheduleId + "@" + scheduledAt;
  }
}
