package dev.chime.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Turns the first bytes of an answer into text a run can keep. */
final class Utf8Excerpt {
  private Utf8Excerpt() {}

  /**
   * The text of {@code bytes[0..length)}; each malformed sequence becomes U+FFFD. When the answer
   * was {@code cut} there, a character the cut split in two is left out rather than shown as a
   * U+FFFD the target never sent.
   */
  static Optional<String> decode(byte[] bytes, int length, boolean cut) {
    int end = cut ? length - splitTail(bytes, length) : length;
    if (end == 0) {
      return Optional.empty();
    }
    // the String constructor replaces malformed input, it never throws
    return Optional.of(new String(bytes, 0, end, StandardCharsets.UTF_8));
  }

  /** How many bytes at the end start a multi-byte character that needs more than are there. */
  static int splitTail(byte[] bytes, int length) {
    for (int back = 1; back <= Math.min(3, length); back++) {
      int b = bytes[length - back] & 0xFF;
      if ((b & 0xC0) == 0x80) {
        continue; // a continuation byte: its lead is further back
      }
      return sequenceLength(b) > back ? back : 0;
    }
    return 0;
  }

  /** The length of the sequence a lead byte starts; 1 for ASCII and for bytes no sequence has. */
  private static int sequenceLength(int lead) {
    if (lead >= 0xC2 && lead <= 0xDF) {
      return 2;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
      return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
      return 4;
    }
    return 1;
  }
}
