package dev.chime.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One change as the audit trail keeps it: in which tenant, by whom, what was done to which object,
 * when, and the object as JSON before and after (absent before a create and after a delete).
 * Secrets inside the JSON are masked before an event is made.
 */
public record AuditEvent(
    UUID id,
    String tenantId,
    Instant at,
    Actor actor,
    String action,
    String objectType,
    String objectId,
    Optional<String> before,
    Optional<String> after) {
  public AuditEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(objectType, "objectType");
    Objects.requireNonNull(objectId, "objectId");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }

  public static AuditEvent of(
      String tenantId,
      Instant at,
      Actor actor,
      String action,
      String objectType,
      String objectId,
      Optional<String> before,
      Optional<String> after) {
    return new AuditEvent(
        UUID.randomUUID(), tenantId, at, actor, action, objectType, objectId, before, after);
  }
}
