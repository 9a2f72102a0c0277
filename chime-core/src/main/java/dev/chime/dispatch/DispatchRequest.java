package dev.chime.dispatch;

import dev.chime.schedule.HttpTarget;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a call needs: the target, the body, the identity of the run it serves, and where and
 * with what token an async target reports the result.
 */
public record DispatchRequest(
    UUID runId,
    UUID scheduleId,
    String runKey,
    int attempt,
    Instant scheduledAt,
    String traceId,
    HttpTarget target,
    String payloadJson,
    URI callbackUrl,
    String callbackToken) {
  public DispatchRequest {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(runKey, "runKey");
    Objects.requireNonNull(scheduledAt, "scheduledAt");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(payloadJson, "payloadJson");
    Objects.requireNonNull(callbackUrl, "callbackUrl");
    Objects.requireNonNull(callbackToken, "callbackToken");
  }
}
