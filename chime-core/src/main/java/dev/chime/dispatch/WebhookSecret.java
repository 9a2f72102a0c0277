package dev.chime.dispatch;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

  /** An HMAC-SHA256 keyed with this secret, copied for each signature: a lookup costs more. */
  private final Mac prototype;

  private WebhookSecret(byte[] key) {
    this.key = key;
    this.prototype = newMac(key);
  }

  private static Mac newMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
    }
  }

  /** A fresh HMAC-SHA256 keyed with this secret, for one signature. */
  Mac mac() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      return newMac(key); // a provider whose MACs cannot be copied
    }
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
