package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.Channel;
import dev.chime.alert.ChannelKind;
import dev.chime.dispatch.TargetAllowList;
import dev.chime.dispatch.TargetGuard;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends to webhook and Slack channels. A webhook gets {@code
 * {"type":"chime.alerts","alerts":[...]}} signed with the channel's secret; Slack gets one
 * incoming-webhook message ({@code text}, with Slack's link markup). A 2xx answer is delivered;
 * 408, 429 and 5xx are tried again later, other answers are not.
 */
final class HttpChannels implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final TargetGuard guard;
  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  HttpChannels(TargetGuard guard) {
    this.guard = guard;
  }

  /**
   * Why the address policy refuses a channel's URL, from the URL and from every address its host
   * resolves to now; empty when it may be called. Link-local and metadata addresses never are.
   */
  Optional<String> refusalOf(URI url) {
    Optional<String> refused = guard.refusalOf(url, TargetAllowList.ANY);
    if (refused.isPresent() || url.getHost() == null) {
      return refused;
    }
    String host = url.getHost().replaceAll("^\\[|\\]$", "");
    try {
      for (InetAddress address : guard.resolve(host)) {
        refused = guard.refusal(host, address, TargetAllowList.ANY);
        if (refused.isPresent()) {
          return refused;
        }
      }
    } catch (UnknownHostException e) {
      // the call itself reports the unknown host
    }
    return Optional.empty();
  }

  /** Sends {@code messages} in one request; answers what the channel said, in words. */
  String send(
      Channel channel, JsonNode secret, List<ObjectNode> messages, String messageId, Instant now)
      throws DeliveryFailure {
    byte[] body =
        (channel.kind() == ChannelKind.SLACK ? slack(messages) : webhook(messages))
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    URI url = URI.create(secret.path("url").asText());
    Optional<String> refused = refusalOf(url);
    if (refused.isPresent()) {
      throw new DeliveryFailure("the address policy refuses the channel: " + refused.get(), false);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", "Chime-Alerts")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (channel.kind() == ChannelKind.WEBHOOK) {
      for (Iterator<Map.Entry<String, JsonNode>> it = secret.path("headers").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> header = it.next();
        request.header(header.getKey(), header.getValue().asText());
      }
      WebhookSigner.headers(
              secret.path("signing_secret").asText(), messageId, now.getEpochSecond(), body)
          .forEach(request::setHeader);
    }
    HttpResponse<Void> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (HttpConnectTimeoutException e) {
      throw new DeliveryFailure("the connection timed out", true);
    } catch (HttpTimeoutException e) {
      throw new DeliveryFailure("no answer within " + TIMEOUT.toSeconds() + " s", true);
    } catch (ConnectException e) {
      throw new DeliveryFailure("connection refused", true);
    } catch (IOException e) {
      throw new DeliveryFailure("the call failed (" + e.getClass().getSimpleName() + ")", true);
    } catch (IllegalArgumentException e) {
      throw new DeliveryFailure("the channel's URL or a header is not accepted", false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryFailure("interrupted: the node is stopping", true);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return "HTTP " + status;
    }
    boolean retry = status == 408 || status == 429 || status >= 500;
    throw new DeliveryFailure("the channel answered HTTP " + status, retry);
  }

  static ObjectNode webhook(List<ObjectNode> messages) {
    ObjectNode body = NODES.objectNode();
    body.put("type", "chime.alerts");
    body.putArray("alerts").addAll(messages);
    return body;
  }

  /** Slack's incoming-webhook format: one message of mrkdwn text, a paragraph per alert. */
  static ObjectNode slack(List<ObjectNode> messages) {
    StringBuilder text = new StringBuilder();
    for (ObjectNode message : messages) {
      if (!text.isEmpty()) {
        text.append("\n\n");
      }
      text.append('*').append(escape(message.path("title").asText())).append("*\n");
      text.append(escape(message.path("text").asText()));
      String links =
          String.join(
              " · ",
              Links.of(message).entrySet().stream()
                  .map(link -> "<" + link.getValue() + "|" + link.getKey() + ">")
                  .toList());
      if (!links.isEmpty()) {
        text.append('\n').append(links);
      }
    }
    return NODES.objectNode().put("text", text.toString());
  }

  /** Slack's three control characters in text. */
  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public void close() {
    client.close();
  }
}
