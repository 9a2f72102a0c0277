package dev.chime.run;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fresh identifiers for runs and traces. They must be unique, not secret (callback tokens are the
 * secrets, and come from a SecureRandom), so they come from a thread-local generator that costs
 * nothing on the hot path of a busy instant.
 */
public final class Ids {
  private static final HexFormat HEX = HexFormat.of();

  private Ids() {}

  /**
   * A time-ordered (version 7, RFC 9562) UUID: the milliseconds of {@code now} in its first 48
   * bits, then 74 random bits. Ids made later sort after earlier ones (within one millisecond in
   * any order), as text too, so the index on a run's id grows at its end instead of touching a
   * random page of it with every new run.
   */
  public static UUID newId(Instant now) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (now.toEpochMilli() << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }

  /** A W3C trace id: 32 lowercase hex digits, not all zero. */
  public static String newTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high;
    do {
      high = random.nextLong();
    } while (high == 0);
    return HEX.toHexDigits(high) + HEX.toHexDigits(random.nextLong());
  }

  /**
   * The W3C span id of a run's call (16 hex digits): the low half of its id, never zero in a
   * version 7 UUID (its variant bits are set). A target's {@code traceparent} names it as the
   * parent; an exported span of the fire has it as its own.
   */
  public static String spanIdOf(UUID runId) {
    return HEX.toHexDigits(runId.getLeastSignificantBits());
  }
}
