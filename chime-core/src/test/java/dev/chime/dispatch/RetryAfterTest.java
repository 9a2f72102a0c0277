package dev.chime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void readsSecondsAndHttpDates() {
    assertThat(RetryAfter.parse(Optional.of("120"), NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(Optional.of(" 120 "), NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(Optional.of("\t120"), NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(Optional.of("9999999999"), NOW))
        .contains(Duration.ofSeconds(9_999_999_999L));
    // more digits than fit a long: a very long wait, which the retry policy caps
    assertThat(RetryAfter.parse(Optional.of("99999999999999999999999"), NOW))
        .contains(Duration.ofSeconds(9_999_999_999L));
    assertThat(RetryAfter.parse(Optional.of("Sat, 28 Nov 2026 10:05:00 GMT"), NOW))
        .contains(Duration.ofMinutes(5));
    assertThat(RetryAfter.parse(Optional.of("Sat, 28 Nov 2026 09:00:00 GMT"), NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void anAbsentHeaderAsksForNothing() {
    assertThat(RetryAfter.parse(Optional.empty(), NOW)).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        " ",
        "soon",
        "-5",
        "+5",
        "1.5",
        "1e3",
        "\u0660\u0661", // Arabic-Indic digits: not what RFC 9110 means by a digit
        "5\u0000",
        "\u00005",
        "\u0000",
        "\uFFFD\uFFFD",
        "Sat, 31 Feb 2026 10:00:00 GMT",
        "Sat, 28 Nov 2026 25:00:00 GMT",
        "Sat, 28 Nov 99999 10:00:00 GMT",
        "Sat, 28 Nov 2026 10:00:00 +9999",
        "Sat, 28 Nov 2026",
        "Sunday, 06-Nov-94 08:49:37 GMT"
      })
  void ignoresWhatItCannotRead(String header) {
    assertThat(RetryAfter.parse(Optional.of(header), NOW)).isEmpty();
  }
}
