package dev.chime.alert;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A rule that watches one schedule, or every schedule of its tenant when {@code scheduleId} is
 * empty, and tells {@code channelIds} when it is broken and when it is well again. {@code
 * paramsJson} holds what only some kinds have (a result rule's {@code on}).
 */
public record AlertRule(
    UUID id,
    String tenantId,
    Optional<UUID> scheduleId,
    RuleKind kind,
    int threshold,
    String paramsJson,
    List<UUID> channelIds,
    boolean enabled,
    Instant createdAt,
    Instant updatedAt) {
  public AlertRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(paramsJson, "paramsJson");
    channelIds = List.copyOf(channelIds);
    if (channelIds.isEmpty()) {
      throw new IllegalArgumentException("an alert rule tells at least one channel");
    }
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
