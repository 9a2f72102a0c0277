package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.alert.Channel;
import dev.chime.secret.SecretBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * Seals a channel's credentials for the database and opens them to send. A sealed value opens only
 * for the channel it was sealed for, under the node's secrets key.
 */
public final class ChannelSecrets {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final SecretBox box;

  public ChannelSecrets(SecretBox box) {
    this.box = box;
  }

  String seal(JsonNode secret, String tenantId, UUID id) {
    return box.seal(secret.toString(), Channel.sealContext(tenantId, id));
  }

  /** The channel's credentials; throws {@link SecretBox.UnreadableSecret} saying why not. */
  JsonNode open(Channel channel) {
    String json =
        box.open(channel.sealedSecret(), Channel.sealContext(channel.tenantId(), channel.id()));
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
