package dev.chime.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputTextTest {

  /** Text as Java escapes, so that control characters and lone surrogates can be written. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          plain words                     | report-every-10s    | 200 |
          emoji count as one each         | \\uD83D\\uDE00\\uD83D\\uDE00 | 2 |
          one emoji over                  | \\uD83D\\uDE00\\uD83D\\uDE00\\uD83D\\uDE00 | 2 | must be at most 2 characters, got 3
          NUL                             | a\\u0000b           | 200 | must not contain NUL (U+0000); found at character 2
          bell                            | ab\\u0007           | 200 | the control character U+0007; found at character 3
          DEL                             | \\u007F             | 200 | the control character U+007F
          a C1 control                    | \\u0085             | 200 | the control character U+0085
          a line break in one line        | a\\nb               | 200 | a tab or line break (U+000A)
          a lone high surrogate           | a\\uD800            | 200 | U+D800 at character 2 is half of a UTF-16 surrogate pair
          a lone low surrogate after an emoji | \\uD83D\\uDE00\\uDC00 | 200 | U+DC00 at character 2 is half
          """)
  void oneLineOfText(String what, String escaped, int max, String problem) {
    assertProblem(InputText.lineProblem(unescape(escaped), max), problem);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          tabs and line breaks            | a\\tb\\r\\nc |
          NUL                             | a\\u0000     | must not contain NUL (U+0000)
          a vertical tab                  | a\\u000Bb    | the control character U+000B
          """)
  void multiLineText(String what, String escaped, String problem) {
    assertProblem(InputText.multilineProblem(unescape(escaped), 2000), problem);
  }

  private static void assertProblem(Optional<String> found, String expected) {
    if (expected == null) {
      assertThat(found).isEmpty();
    } else {
      assertThat(found).hasValueSatisfying(reason -> assertThat(reason).contains(expected));
    }
  }

  private static String unescape(String escaped) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c == '\\' && escaped.charAt(i + 1) == 'u') {
        text.append((char) Integer.parseInt(escaped.substring(i + 2, i + 6), 16));
        i += 5;
      } else if (c == '\\') {
        char next = escaped.charAt(++i);
        text.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next == 't' ? '\t' : next);
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }
}
