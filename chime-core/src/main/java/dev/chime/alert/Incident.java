package dev.chime.alert;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One episode of a rule being broken for one subject (a schedule, or a node for a stalled rule):
 * open until its subject is well again. {@code seen} counts the sightings grouped into it (failed
 * runs, instants not sent); {@code subjectName} is the schedule's name while it exists.
 */
public record Incident(
    UUID id,
    String tenantId,
    UUID ruleId,
    RuleKind kind,
    String subjectId,
    Optional<String> subjectName,
    boolean open,
    Instant sinceAt,
    Instant openedAt,
    Optional<Instant> closedAt,
    Instant lastSeenAt,
    int seen,
    Optional<UUID> lastRunId,
    Optional<String> lastError) {
  public Incident {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subjectId, "subjectId");
    Objects.requireNonNull(subjectName, "subjectName");
    Objects.requireNonNull(sinceAt, "sinceAt");
    Objects.requireNonNull(openedAt, "openedAt");
    Objects.requireNonNull(closedAt, "closedAt");
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    Objects.requireNonNull(lastRunId, "lastRunId");
    Objects.requireNonNull(lastError, "lastError");
  }

  /** Which incidents a listing takes: open ones, closed ones, or both. */
  public enum State {
    OPEN,
    CLOSED,
    ANY
  }
}
