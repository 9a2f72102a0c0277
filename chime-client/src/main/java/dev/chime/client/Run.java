package dev.chime.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One attempt at firing a schedule for one scheduled instant.
 *
 * @param id the run's id
 * @param scheduleId its schedule
 * @param runKey the schedule id and the scheduled instant: the same for every attempt, and the
 *     {@code Idempotency-Key} the target sees
 * @param attempt 1 for the first attempt
 * @param origin {@code schedule}, or {@code manual} for run-now and retries by hand
 * @param status where it stands
 * @param scheduledAt the instant it fires for
 * @param startedAt when the call went out
 * @param finishedAt when it ended
 * @param durationMs how long the call took
 * @param httpStatus the target's answer
 * @param errorCode why it failed, such as {@code http_status} or {@code timeout}
 * @param errorMessage the failure in words
 * @param responseExcerpt the start of the target's answer
 * @param result what an async target reported
 * @param dueAt when a queued run may go
 * @param traceId the W3C trace id sent as {@code traceparent}
 * @param createdAt when the run was recorded
 */
public record Run(
    UUID id,
    UUID scheduleId,
    String runKey,
    int attempt,
    String origin,
    RunStatus status,
    Instant scheduledAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    OptionalLong durationMs,
    OptionalInt httpStatus,
    Optional<String> errorCode,
    Optional<String> errorMessage,
    Optional<String> responseExcerpt,
    Optional<JsonNode> result,
    Optional<Instant> dueAt,
    String traceId,
    Instant createdAt) {
  /** Checks that every part is given. */
  public Run {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(runKey, "runKey");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(scheduledAt, "scheduledAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(durationMs, "durationMs");
    Objects.requireNonNull(httpStatus, "httpStatus");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(errorMessage, "errorMessage");
    Objects.requireNonNull(responseExcerpt, "responseExcerpt");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(dueAt, "dueAt");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
