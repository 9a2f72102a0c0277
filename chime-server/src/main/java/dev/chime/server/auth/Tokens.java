package dev.chime.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The text of API tokens: {@code chime_} and 256 random bits in URL-safe Base64. Stored only as its
 * SHA-256; a token is random enough that a fast hash is safe, where a password would need a slow
 * one.
 */
public final class Tokens {
  static final String PREFIX = "chime_";
  private static final int RANDOM_BYTES = 32;
  private static final int SHOWN_CHARACTERS = 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  public static String generate() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The first characters of a token, which lists show so people can tell their tokens apart. */
  public static String prefix(String token) {
    return token.substring(0, Math.min(SHOWN_CHARACTERS, token.length()));
  }

  /** Compares two hashes in time that does not depend on where they differ. */
  static boolean sameHash(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
