package dev.chime.server.alerts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing of a webhook channel's deliveries, as fires are signed: {@code
 * webhook-id}, {@code webhook-timestamp} and {@code webhook-signature: v1,<base64 of HMAC-SHA256
 * over id.timestamp.body>} under the channel's {@code whsec_} secret. Kept apart so that it can
 * give way to the dispatcher's own signing.
 */
final class WebhookSigner {
  private static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSigner() {}

  /** A new secret: {@code whsec_} and the base64 of 24 random bytes. */
  static String newSecret() {
    byte[] key = new byte[24];
    RANDOM.nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The three headers of one signed message. */
  static Map<String, String> headers(String secret, String id, long timestampSeconds, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", Long.toString(timestampSeconds));
    headers.put("webhook-signature", "v1," + sign(secret, id, timestampSeconds, body));
    return headers;
  }

  static String sign(String secret, String id, long timestampSeconds, byte[] body) {
    byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
    }
  }
}
