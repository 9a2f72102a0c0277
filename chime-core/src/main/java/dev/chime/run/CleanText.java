package dev.chime.run;

/**
 * Makes text from targets safe to store: PostgreSQL refuses a NUL anywhere in a batch, and a lone
 * UTF-16 surrogate cannot be encoded as UTF-8 at all. Each such character becomes U+FFFD, and text
 * longer than its column is cut to fit without splitting a surrogate pair.
 */
public final class CleanText {
  static final char REPLACEMENT = '\uFFFD';

  /** Marks text that was cut to fit its column. */
  static final char CUT = '\u2026';

  private CleanText() {}

  /**
   * The text with C0 control characters other than tab, line feed and carriage return, and lone
   * surrogates, replaced by U+FFFD; the same instance when there is nothing to replace.
   */
  static String clean(String text) {
    int first = firstBad(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    out.append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (isBad(c)) {
        out.append(REPLACEMENT);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The cleaned text, cut to at most {@code max} UTF-16 units, its last one an ellipsis when cut.
   * UTF-16 units never outnumber the characters PostgreSQL, MariaDB or H2 count, so the text fits a
   * {@code VARCHAR(max)} on each.
   */
  public static String clip(String text, int max) {
    String clean = clean(text);
    if (clean.length() <= max) {
      return clean;
    }
    int end = max - 1;
    // cleaned text holds surrogates only in pairs: a high one last would lose its partner
    if (end > 0 && Character.isHighSurrogate(clean.charAt(end - 1))) {
      end--;
    }
    return clean.substring(0, end) + CUT;
  }

  private static int firstBad(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (isBad(c)) {
        return i;
      }
    }
    return -1;
  }

  /** A control character the databases refuse or garble, or a surrogate not in a pair. */
  private static boolean isBad(char c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || Character.isSurrogate(c);
  }
}
