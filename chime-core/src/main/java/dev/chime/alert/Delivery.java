package dev.chime.alert;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One message for one channel, waiting in the outbox or sent: {@code event} is {@code opened},
 * {@code resolved}, {@code result} or {@code test}; {@code messageJson} is the alert as the
 * channels' formats are made from it.
 */
public record Delivery(
    UUID id,
    String tenantId,
    UUID channelId,
    Optional<UUID> incidentId,
    String event,
    String messageJson,
    int attempts,
    Instant createdAt) {
  public Delivery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(messageJson, "messageJson");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A new message, not yet tried. */
  public static Delivery of(
      String tenantId,
      UUID channelId,
      Optional<UUID> incidentId,
      String event,
      String messageJson,
      Instant now) {
    return new Delivery(
        UUID.randomUUID(), tenantId, channelId, incidentId, event, messageJson, 0, now);
  }
}
