package dev.chime.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A page of a tenant's audit trail, newest first, narrowed by object, actor, action and time. */
public record AuditQuery(
    Optional<String> objectId,
    Optional<String> actorId,
    Optional<String> action,
    Optional<Instant> since,
    Optional<Instant> until,
    Optional<String> cursor,
    int limit) {
  public static final int MAX_LIMIT = 500;

  public AuditQuery {
    Objects.requireNonNull(objectId, "objectId");
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }
}
