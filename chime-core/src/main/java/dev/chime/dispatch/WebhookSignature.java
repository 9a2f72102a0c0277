package dev.chime.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;

/**
 * Standard Webhooks signatures: {@code v1,} and the base64 of HMAC-SHA256 over {@code
 * <webhook-id>.<webhook-timestamp>.<body>}, one for each secret, space-separated.
 */
public final class WebhookSignature {
  private WebhookSignature() {}

  /** The signature of one message with one secret: {@code v1,<base64>}. */
  public static String sign(WebhookSecret secret, String id, long timestamp, byte[] body) {
    Mac mac = secret.mac();
    mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
  }

  /** The three headers of a signed call, in the order they are sent. */
  static Map<String, String> headers(
      List<WebhookSecret> secrets, String id, long timestamp, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", Long.toString(timestamp));
    StringBuilder signatures = new StringBuilder();
    for (WebhookSecret secret : secrets) {
      if (!signatures.isEmpty()) {
        signatures.append(' ');
      }
      signatures.append(sign(secret, id, timestamp, body));
    }
    headers.put("webhook-signature", signatures.toString());
    return headers;
  }

  /**
   * The {@code webhook-id} of a fire: the same for every attempt at one scheduled instant, as its
   * run key is, but without the dots a run key's instant may hold (the id must not contain one).
   */
  public static String messageId(String runKey) {
    byte[] digest = Sha256.of(runKey.getBytes(StandardCharsets.UTF_8));
    return "msg_"
        + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18));
  }
}
