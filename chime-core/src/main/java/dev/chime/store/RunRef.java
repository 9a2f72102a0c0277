package dev.chime.store;

import dev.chime.run.RunOrigin;
import dev.chime.schedule.RunPolicy;
import java.time.Instant;
import java.util.UUID;

/** A run that is in flight, with what closing it needs: its identity and its schedule's policy. */
public record RunRef(
    UUID runId,
    UUID scheduleId,
    String tenantId,
    String runKey,
    int attempt,
    RunOrigin origin,
    Instant scheduledAt,
    RunPolicy policy) {}
