package dev.chime.schedule;

import java.util.Locale;
import java.util.Optional;

/**
 * What text a user gives Chime may hold. Every database must store it exactly as it was sent and
 * every reader must be able to show it, so it may not hold NUL (PostgreSQL refuses it), other
 * control characters (C0, DEL, C1), or half of a UTF-16 surrogate pair (not a character at all, and
 * not encodable as UTF-8). Multi-line text may hold tabs and line breaks. Lengths are counted in
 * characters (Unicode code points), as a user counts them, not in UTF-16 units.
 */
public final class InputText {
  private InputText() {}

  /** Why {@code text} breaks the rules of one line of text, or empty when it keeps them. */
  public static Optional<String> lineProblem(String text, int maxCharacters) {
    return problem(text, maxCharacters, false);
  }

  /** Why {@code text} breaks the rules of multi-line text, or empty when it keeps them. */
  public static Optional<String> multilineProblem(String text, int maxCharacters) {
    return problem(text, maxCharacters, true);
  }

  /**
   * What in {@code text} is not a character (such as "U+D800 at character 3 is half of a UTF-16
   * surrogate pair"), or empty; no other rules. For text that may otherwise hold anything.
   */
  public static Optional<String> notUnicode(String text) {
    for (int i = 0, position = 1; i < text.length(); position++) {
      int c = text.codePointAt(i);
      if (Character.isSurrogate((char) c) && Character.charCount(c) == 1) {
        return Optional.of(loneSurrogate(c, position));
      }
      i += Character.charCount(c);
    }
    return Optional.empty();
  }

  /** The length as a user counts it: in characters (code points). */
  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  private static Optional<String> problem(String text, int maxCharacters, boolean multiline) {
    int length = length(text);
    if (length > maxCharacters) {
      return Optional.of("must be at most " + maxCharacters + " characters, got " + length);
    }
    for (int i = 0, position = 1; i < text.length(); position++) {
      int c = text.codePointAt(i);
      if (Character.isSurrogate((char) c) && Character.charCount(c) == 1) {
        return Optional.of("must be Unicode text: " + loneSurrogate(c, position));
      }
      if (Character.getType(c) == Character.CONTROL
          && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
        return Optional.of(control(c, position, multiline));
      }
      i += Character.charCount(c);
    }
    return Optional.empty();
  }

  private static String control(int c, int position, boolean multiline) {
    String what = c == 0 ? "NUL (U+0000)" : "the control character " + codePoint(c);
    if (!multiline && (c == '\t' || c == '\n' || c == '\r')) {
      what = "a tab or line break (" + codePoint(c) + ")";
    }
    return "must not contain " + what + "; found at character " + position;
  }

  private static String loneSurrogate(int c, int position) {
    return codePoint(c)
        + " at character "
        + position
        + " is half of a UTF-16 surrogate pair, not a character";
  }

  private static String codePoint(int c) {
    return String.format(Locale.ROOT, "U+%04X", c);
  }
}
