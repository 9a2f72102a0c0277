package dev.chime.server.alerts;

import dev.chime.dispatch.WebhookSecret;
import dev.chime.dispatch.WebhookSignature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Standard Webhooks signing of a webhook channel's deliveries, exactly as fires are signed ({@link
 * WebhookSignature}): {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature:
 * v1,<base64 of HMAC-SHA256 over id.timestamp.body>} under the channel's own {@code whsec_} secret.
 */
final class WebhookSigner {
  private WebhookSigner() {}

  /** A new secret, as a receiver configures it: {@code whsec_} and base64. */
  static String newSecret() {
    return WebhookSecret.generate().text();
  }

  /** The three headers of one signed message. */
  static Map<String, String> headers(String secret, String id, long timestampSeconds, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", Long.toString(timestampSeconds));
    headers.put("webhook-signature", sign(secret, id, timestampSeconds, body));
    return headers;
  }

  /** {@code v1,<base64>}. */
  static String sign(String secret, String id, long timestampSeconds, byte[] body) {
    return WebhookSignature.sign(WebhookSecret.parse(secret), id, timestampSeconds, body);
  }
}
