package dev.chime.alert;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A tenant's notification channel. {@code settingsJson} is what the API shows of it; {@code
 * sealedSecret} holds its credentials (URL, headers, password, signing secret) sealed with the
 * node's secrets key, opened only to send.
 */
public record Channel(
    UUID id,
    String tenantId,
    String name,
    ChannelKind kind,
    String settingsJson,
    String sealedSecret,
    Instant createdAt,
    Instant updatedAt) {
  public Channel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(settingsJson, "settingsJson");
    Objects.requireNonNull(sealedSecret, "sealedSecret");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** What a sealed secret of this channel is bound to: it opens for this channel only. */
  public static String sealContext(String tenantId, UUID id) {
    return "channel:" + tenantId + ":" + id;
  }
}
