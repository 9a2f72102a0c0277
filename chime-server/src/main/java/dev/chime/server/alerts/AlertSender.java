package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.Channel;
import dev.chime.alert.ChannelKind;
import dev.chime.alert.Delivery;
import dev.chime.dispatch.TargetGuard;
import dev.chime.secret.SecretBox;
import dev.chime.store.ChannelStore;
import dev.chime.store.DeliveryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox: claims due deliveries, sends them a channel at a time (the messages due for
 * one channel together, so that many alerts at once make one message), and records how it went. A
 * failure that may pass is tried again after a growing wait; after {@link #BACKOFF} is used up the
 * delivery is given up as {@code failed}. Logs name the channel, never its credentials.
 */
final class AlertSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertSender.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The waits before each next try. */
  static final List<Duration> BACKOFF =
      List.of(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(30));

  /** How long a claim lasts: longer than any send of one batch. */
  private static final Duration LEASE = Duration.ofMinutes(2);

  /** The most alerts one message groups. */
  static final int GROUP = 20;

  private final DeliveryStore store;
  private final ChannelStore channels;
  private final ChannelSecrets secrets;
  private final String nodeId;
  private final HttpChannels http;
  private final EmailChannels email = new EmailChannels();

  AlertSender(
      DeliveryStore store,
      ChannelStore channels,
      ChannelSecrets secrets,
      TargetGuard guard,
      String nodeId) {
    this.store = store;
    this.http = new HttpChannels(guard);
    this.channels = channels;
    this.secrets = secrets;
    this.nodeId = nodeId;
  }

  /** Sends what is due at {@code now}; returns how many deliveries were delivered. */
  int sendDue(Instant now) {
    List<Delivery> due = store.claimDue(nodeId, now, now.plus(LEASE), 200);
    if (due.isEmpty()) {
      return 0;
    }
    Map<UUID, List<Delivery>> byChannel = new LinkedHashMap<>();
    due.forEach(d -> byChannel.computeIfAbsent(d.channelId(), id -> new ArrayList<>()).add(d));
    Map<UUID, Channel> known = new LinkedHashMap<>();
    channels.byIds(List.copyOf(byChannel.keySet())).forEach(c -> known.put(c.id(), c));
    int delivered = 0;
    for (Map.Entry<UUID, List<Delivery>> entry : byChannel.entrySet()) {
      List<Delivery> all = entry.getValue();
      for (int from = 0; from < all.size(); from += GROUP) {
        List<Delivery> group = all.subList(from, Math.min(all.size(), from + GROUP));
        delivered += sendGroup(Optional.ofNullable(known.get(entry.getKey())), group, now);
      }
    }
    return delivered;
  }

  private int sendGroup(Optional<Channel> channel, List<Delivery> group, Instant now) {
    List<UUID> ids = group.stream().map(Delivery::id).toList();
    if (channel.isEmpty()) {
      store.finished(ids, nodeId, now, Optional.of("the channel was deleted"), Optional.empty());
      return 0;
    }
    List<ObjectNode> messages = group.stream().map(d -> parse(d.messageJson())).toList();
    try {
      String detail = send(channel.get(), messages, "msg_" + ids.get(0), now);
      store.finished(ids, nodeId, now, Optional.empty(), Optional.empty());
      log.info(
          "alert delivered: {} message(s) to channel {} ({}): {}",
          group.size(),
          channel.get().name(),
          channel.get().id(),
          detail);
      return group.size();
    } catch (DeliveryFailure e) {
      int tried = group.stream().mapToInt(Delivery::attempts).max().orElse(0) + 1;
      Optional<Instant> retry =
          e.retryable() && tried <= BACKOFF.size()
              ? Optional.of(now.plus(BACKOFF.get(tried - 1)))
              : Optional.empty();
      store.finished(ids, nodeId, now, Optional.of(e.getMessage()), retry);
      log.warn(
          "alert not delivered to channel {} ({}), try {}: {}; {}",
          channel.get().name(),
          channel.get().id(),
          tried,
          e.getMessage(),
          retry.map(at -> "trying again at " + at).orElse("given up"));
      return 0;
    }
  }

  /** Why the address policy refuses {@code url}, a channel's; empty when it may be called. */
  Optional<String> refusalOf(java.net.URI url) {
    return http.refusalOf(url);
  }

  /** Sends at once, outside the outbox: a test, or a delivery being made. */
  String send(Channel channel, List<ObjectNode> messages, String messageId, Instant now)
      throws DeliveryFailure {
    JsonNode secret;
    try {
      secret = secrets.open(channel);
    } catch (SecretBox.UnreadableSecret e) {
      throw new DeliveryFailure(
          "the channel's credentials cannot be opened: " + e.getMessage(), false);
    }
    return channel.kind() == ChannelKind.EMAIL
        ? email.send(channel, secret, messages, now)
        : http.send(channel, secret, messages, messageId, now);
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
