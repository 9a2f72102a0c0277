package dev.chime.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CleanTextTest {
  private static final String EMOJI = "\uD83D\uDE00"; // one character, a surrogate pair

  static Stream<Arguments> texts() {
    return Stream.of(
        Arguments.of("plain text stays", "ok", "ok"),
        Arguments.of("tab, line feed and carriage return stay", "a\tb\nc\r\n", "a\tb\nc\r\n"),
        Arguments.of("NUL becomes U+FFFD", "a\u0000b", "a\uFFFDb"),
        Arguments.of(
            "every other C0 control too", "\u0001\u0008\u000B\u001B\u001F", "\uFFFD".repeat(5)),
        Arguments.of("DEL and C1 stay: the databases take them", "\u007F\u0085", "\u007F\u0085"),
        Arguments.of("a lone high surrogate", "a\uD83Db", "a\uFFFDb"),
        Arguments.of("a lone low surrogate", "a\uDE00b", "a\uFFFDb"),
        Arguments.of("a high surrogate at the end", "a\uD83D", "a\uFFFD"),
        Arguments.of("two high surrogates, then a low one", "\uD83D\uD83D\uDE00", "\uFFFD" + EMOJI),
        Arguments.of("a pair stays", "a" + EMOJI + "b", "a" + EMOJI + "b"),
        Arguments.of("U+FFFD itself stays", "\uFFFD", "\uFFFD"),
        Arguments.of("empty stays empty", "", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void replacesWhatDatabasesRefuse(String why, String text, String stored) {
    assertThat(CleanText.clean(text)).isEqualTo(stored);
  }

  static Stream<Arguments> clips() {
    return Stream.of(
        Arguments.of("short text is not cut", "abc", 5, "abc"),
        Arguments.of("text of exactly the limit is not cut", "abcde", 5, "abcde"),
        Arguments.of("longer text ends in an ellipsis", "abcdefgh", 5, "abcd\u2026"),
        Arguments.of("a pair the cut would split goes whole", "abc" + EMOJI + "de", 5, "abc\u2026"),
        Arguments.of(
            "a pair before the cut stays", "ab" + EMOJI + "de", 5, "ab" + EMOJI + "\u2026"),
        Arguments.of("cleaned before it is measured", "\u0000\u0000\u0000", 2, "\uFFFD\u2026"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clips")
  void cutsToTheColumn(String why, String text, int max, String stored) {
    assertThat(CleanText.clip(text, max)).isEqualTo(stored).hasSizeLessThanOrEqualTo(max);
  }

  static Stream<Arguments> outcomes() {
    String longMessage = "x".repeat(3000);
    return Stream.of(
        Arguments.of(
            "a NUL in the excerpt",
            RunOutcome.success(200, "{\"a\":\"x\u0000y\"}", 5),
            Optional.empty(),
            Optional.of("{\"a\":\"x\uFFFDy\"}")),
        Arguments.of(
            "a reported error message with a NUL and a lone surrogate",
            RunOutcome.failure(
                RunStatus.FAILED,
                OptionalInt.of(202),
                "reported_failure",
                "bad\u0000\uD800",
                null,
                0),
            Optional.of("bad\uFFFD\uFFFD"),
            Optional.empty()),
        Arguments.of(
            "an error message over VARCHAR(2000)",
            RunOutcome.failure(
                RunStatus.FAILED, OptionalInt.empty(), "io_error", longMessage, null, 0),
            Optional.of("x".repeat(1999) + "\u2026"),
            Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void anOutcomeHoldsOnlyStorableText(
      String why, RunOutcome outcome, Optional<String> message, Optional<String> excerpt) {
    assertThat(outcome.errorMessage()).isEqualTo(message);
    assertThat(outcome.responseExcerpt()).isEqualTo(excerpt);
  }

  @org.junit.jupiter.api.Test
  void aResultStaysJsonAndAnErrorCodeFitsItsColumn() {
    RunOutcome outcome =
        RunOutcome.failure(RunStatus.FAILED, OptionalInt.empty(), "c".repeat(100), "m", null, 0)
            .withResult(Optional.of("{\"note\":\"\uD800 \\u0000\"}"));
    assertThat(outcome.resultJson()).contains("{\"note\":\"\uFFFD \\u0000\"}");
    assertThat(outcome.errorCode()).hasValueSatisfying(code -> assertThat(code).hasSize(64));
  }
}
