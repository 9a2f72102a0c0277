package dev.chime.dispatch;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One-run callback tokens: sent once to the target with each call, kept only as a SHA-256 hash,
 * good for one report of that run's result.
 */
public final class CallbackTokens {
  /** One generator per thread: the platform default locks on every call under load. */
  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(CallbackTokens::newGenerator);

  private CallbackTokens() {}

  /** A fresh token: 32 random bytes, base64url. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.get().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static SecureRandom newGenerator() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  /** The hex SHA-256 of a token, as the database keeps it. */
  public static String hash(String token) {
    return HexFormat.of().formatHex(Sha256.of(token.getBytes(StandardCharsets.UTF_8)));
  }
}
