package dev.chime.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
  private static final RetryPolicy LIST =
      new RetryPolicy.Backoff(
          5, List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)));
  private static final RetryPolicy EXP =
      new RetryPolicy.Exponential(6, Duration.ofSeconds(30), 2, Duration.ofSeconds(200), 0.1);

  @ParameterizedTest(name = "list: attempt {0} waits {1} s")
  @CsvSource({"2, 30", "3, 60", "4, 300", "5, 300"})
  void aBackoffListGivesTheWaitBeforeEachAttemptAndRepeatsItsLast(int attempt, long seconds) {
    assertThat(LIST.waitBefore(attempt, 0.5)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "exponential: attempt {0} with random {1} waits {2} ms")
  @CsvSource({
    "2, 0.5, 30000", // no jitter at the middle
    "3, 0.5, 60000",
    "4, 0.5, 120000",
    "5, 0.5, 200000", // capped by max_s
    "2, 0.0, 27000", // jitter moves it down by up to 10 %
    "2, 1.0, 33000", // and up by up to 10 %
    "6, 1.0, 200000" // never beyond max_s, jitter or not
  })
  void anExponentialPolicyGrowsUpToItsMaxWithJitter(int attempt, double random, long millis) {
    assertThat(EXP.waitBefore(attempt, random)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "Retry-After {0} s gives {1} s")
  @CsvSource({"5, 5", "300, 300", "7200, 300", "0, 0"})
  void retryAfterIsTakenButCappedByTheLongestWait(long asked, long seconds) {
    assertThat(LIST.waitBefore(2, Optional.of(Duration.ofSeconds(asked)), 0.5))
        .isEqualTo(Duration.ofSeconds(seconds));
    assertThat(LIST.cap()).isEqualTo(Duration.ofSeconds(300));
    assertThat(EXP.cap()).isEqualTo(Duration.ofSeconds(200));
  }
}
