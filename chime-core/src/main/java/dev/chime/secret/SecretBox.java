package dev.chime.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens secrets with AES-256-GCM under one 32-byte key. A sealed value is text, {@code
 * v1.<key id>.<base64url of nonce, ciphertext and tag>}, bound to a {@code context} (what the
 * secret is and whose: a tenant and a header name, say) that must be given again to open it, so a
 * sealed value copied to another row or another tenant does not open.
 *
 * <p>The key id is derived from the key and names it in errors, so that a node with the wrong key
 * says so instead of failing obscurely. The key itself is never shown.
 */
public final class SecretBox {
  /** The length of a key, in bytes. */
  public static final int KEY_BYTES = 32;

  private static final String VERSION = "v1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final String keyId;

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.keyId = keyId(key);
  }

  /** A box for {@code key}, which must be {@value #KEY_BYTES} bytes. */
  public static SecretBox of(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "a secrets key is " + KEY_BYTES + " bytes, got " + key.length);
    }
    return new SecretBox(key);
  }

  /** A new random key. */
  public static byte[] newKey() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  /** Eight hex digits that name the key without giving it away. */
  public String keyId() {
    return keyId;
  }

  /** Seals {@code plaintext} for {@code context}. */
  public String seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return VERSION
          + "."
          + keyId
          + "."
          + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JVM", e);
    }
  }

  /**
   * Opens what {@link #seal} made for the same {@code context}; throws {@link UnreadableSecret}
   * when it was sealed under another key, for another context, or was changed.
   */
  public String open(String sealed, String context) {
    String[] parts = sealed.split("\\.", 3);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw new UnreadableSecret("it is not a sealed value of this Chime version");
    }
    if (!parts[1].equals(keyId)) {
      throw new UnreadableSecret(
          "it was sealed with the secrets key "
              + parts[1]
              + " and this node has the key "
              + keyId
              + "; every node of a cluster needs the same secrets.key");
    }
    byte[] in;
    try {
      in = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new UnreadableSecret("its text is damaged");
    }
    if (in.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new UnreadableSecret("its text is damaged");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new UnreadableSecret("it was changed, or sealed for another object");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JVM", e);
    }
  }

  /** The key id of a sealed value, or empty text when it is not one. */
  public static String keyIdOf(String sealed) {
    String[] parts = sealed.split("\\.", 3);
    return parts.length == 3 ? parts[1] : "";
  }

  private static String keyId(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] id = mac.doFinal("chime secrets key id".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(id, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "SecretBox[key " + keyId + "]";
  }

  /** A sealed value that this box cannot open; the message says why, never what it holds. */
  public static final class UnreadableSecret extends dev.chime.ChimeException {
    public UnreadableSecret(String why) {
      super(why);
    }
  }
}
