package dev.chime.dispatch;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A Standard Webhooks signing secret: random bytes, shown as {@code whsec_} and their base64. The
 * bytes are the HMAC key; the text is what a receiver configures.
 */
public final class WebhookSecret {
  public static final String PREFIX = "whsec_";

  /** 32 bytes: within the specification's 24 to 64. */
  static final int BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  private WebhookSecret(byte[] key) {
    this.key = key;
  }

  public static WebhookSecret generate() {
    byte[] key = new byte[BYTES];
    RANDOM.nextBytes(key);
    return new WebhookSecret(key);
  }

  /** Reads {@code whsec_<base64>}; throws {@link IllegalArgumentException} for anything else. */
  public static WebhookSecret parse(String text) {
    if (!text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a signing secret starts with " + PREFIX);
    }
    byte[] key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
    if (key.length < 24 || key.length > 64) {
      throw new IllegalArgumentException("a signing secret is 24 to 64 bytes, got " + key.length);
    }
    return new WebhookSecret(key);
  }

  /** The secret as a receiver configures it: {@code whsec_} and base64. */
  public String text() {
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The secret as shown where it must not be read: its prefix and last four characters. */
  public String masked() {
    String text = text();
    return PREFIX + "****" + text.substring(text.length() - 4);
  }

  byte[] key() {
    return key;
  }

  @Override
  public String toString() {
    return "WebhookSecret[" + masked() + "]";
  }
}
