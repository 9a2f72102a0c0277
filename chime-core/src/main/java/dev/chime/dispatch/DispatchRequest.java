package dev.chime.dispatch;

import dev.chime.schedule.HttpTarget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a call needs: the target, the body, the identity of the run it serves, and where and
 * with what token an async target reports the result. {@code signingSecrets} sign the call
 * (Standard Webhooks; none: unsigned) and {@code allowList} narrows where the tenant's calls may
 * go; both are filled in by {@link OutgoingDispatcher}.
 */
public record DispatchRequest(
    UUID runId,
    String tenantId,
    UUID scheduleId,
    String runKey,
    int attempt,
    Instant scheduledAt,
    String traceId,
    HttpTarget target,
    String payloadJson,
    URI callbackUrl,
    String callbackToken,
    List<WebhookSecret> signingSecrets,
    TargetAllowList allowList) {
  public DispatchRequest {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(runKey, "runKey");
    Objects.requireNonNull(scheduledAt, "scheduledAt");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(payloadJson, "payloadJson");
    Objects.requireNonNull(callbackUrl, "callbackUrl");
    Objects.requireNonNull(callbackToken, "callbackToken");
    signingSecrets = List.copyOf(signingSecrets);
    Objects.requireNonNull(allowList, "allowList");
  }

  /** A request not yet readied by {@link OutgoingDispatcher}: unsigned, narrowed by nothing. */
  public DispatchRequest(
      UUID runId,
      String tenantId,
      UUID scheduleId,
      String runKey,
      int attempt,
      Instant scheduledAt,
      String traceId,
      HttpTarget target,
      String payloadJson,
      URI callbackUrl,
      String callbackToken) {
    this(
        runId,
        tenantId,
        scheduleId,
        runKey,
        attempt,
        scheduledAt,
        traceId,
        target,
        payloadJson,
        callbackUrl,
        callbackToken,
        List.of(),
        TargetAllowList.ANY);
  }

  /** This request as it goes out: its target as sent, signed with these secrets, narrowed so. */
  DispatchRequest readied(
      HttpTarget sent, List<WebhookSecret> secrets, TargetAllowList narrowedBy) {
    return new DispatchRequest(
        runId,
        tenantId,
        scheduleId,
        runKey,
        attempt,
        scheduledAt,
        traceId,
        sent,
        payloadJson,
        callbackUrl,
        callbackToken,
        secrets,
        narrowedBy);
  }

  /** Whether the call carries a body: not for GET and HEAD, nor for a schedule without payload. */
  boolean sendsBody() {
    return target.sendsBody() && !payloadJson.equals("null");
  }

  /** The bytes of the body, exactly as sent and signed; empty when there is none. */
  byte[] body() {
    return sendsBody() ? payloadJson.getBytes(StandardCharsets.UTF_8) : new byte[0];
  }
}
