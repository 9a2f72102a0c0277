package dev.chime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionSettingsTest {
  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void theDefaultsKeepThirtyDaysAndAThousandRunsPerSchedule() {
    assertThat(RetentionSettings.defaults())
        .isEqualTo(new RetentionSettings(Duration.ofDays(30), 1000, 500, MINUTE));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            (Supplier<?>) () -> new RetentionSettings(Duration.ZERO, 1, 1, MINUTE),
            "maxAge must be positive, got PT0S"),
        Arguments.of(
            (Supplier<?>) () -> new RetentionSettings(null, 1, 1, MINUTE),
            "maxAge must be positive, got null"),
        Arguments.of(
            (Supplier<?>) () -> new RetentionSettings(DAY, 0, 1, MINUTE),
            "maxRunsPerSchedule must be at least 1, got 0"),
        Arguments.of(
            (Supplier<?>) () -> new RetentionSettings(DAY, 1, -5, MINUTE),
            "batchSize must be at least 1, got -5"),
        Arguments.of(
            (Supplier<?>) () -> new RetentionSettings(DAY, 1, 1, Duration.ofSeconds(-1)),
            "interval must be positive, got PT-1S"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidSettingsAreRejectedNamingTheField(Supplier<?> settings, String message) {
    assertThatThrownBy(settings::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
