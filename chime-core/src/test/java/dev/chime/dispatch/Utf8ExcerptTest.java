package dev.chime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8ExcerptTest {
  /** Bytes in hex; {@code cut} says the answer went on past them; the text as a run keeps it. */
  @ParameterizedTest(name = "{0} cut={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "616263        | false | abc",
        "616263        | true  | abc",
        "61e282ac      | true  | a€",
        "61e282        | true  | a",
        "61e2          | true  | a",
        "61f09f98      | true  | a",
        "61c3          | true  | a",
        "61e282        | false | a\uFFFD",
        "61ff62        | false | a\uFFFDb",
        "61ff62        | true  | a\uFFFDb",
        "c080          | false | \uFFFD\uFFFD",
        "eda080        | false | \uFFFD",
        "61008062      | false | a\u0000\uFFFDb",
        "e282          | true  | ''",
        "''            | false | ''"
      })
  void decodesWithoutGarbage(String hex, boolean cut, String text) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    Optional<String> expected = text.isEmpty() ? Optional.empty() : Optional.of(text);
    assertThat(Utf8Excerpt.decode(bytes, bytes.length, cut)).isEqualTo(expected);
  }
}
