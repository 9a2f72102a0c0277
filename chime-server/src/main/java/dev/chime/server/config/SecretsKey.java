package dev.chime.server.config;

import java.util.Base64;

/**
 * The key that seals secrets at rest, from {@code secrets.key}: the base64 of 32 random bytes.
 * Never shown: its {@code toString} is masked, and the configuration logs only its key id.
 */
public record SecretsKey(byte[] bytes) {
  public static final int BYTES = 32;

  /** Reads the base64 (standard or URL-safe) of 32 bytes; throws with a reason, never the text. */
  public static SecretsKey parse(String text) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text.replace('-', '+').replace('_', '/'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not base64");
    }
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(
          "holds " + bytes.length + " bytes; a secrets key is " + BYTES + " bytes");
    }
    return new SecretsKey(bytes);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SecretsKey that && java.util.Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SecretsKey[****]";
  }
}
