package dev.chime.bench.hot;

import static org.assertj.core.api.Assertions.assertThat;

import com.cronutils.model.time.ExecutionTime;
import dev.chime.timing.CronExpression;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the cron comparison fair: on every expression of {@link CronCases}, after every start
 * instant, Chime and cron-utils name the same next fire, so {@link CronBench} times the same work.
 */
class CronAgreementTest {
  static Stream<String> cases() {
    return CronCases.CASES.stream().map(CronCases.Case::name);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void chimeAndCronUtilsNameTheSameNextFires(String name) {
    CronCases.Case c = CronCases.named(name);
    CronExpression chime = CronCases.chime(c);
    ExecutionTime cronUtils = CronCases.cronUtils(c);

    for (Instant start : CronCases.starts()) {
      Optional<Instant> ours = chime.nextAfter(start, c.zone());
      Optional<Instant> theirs = CronCases.cronUtilsNext(cronUtils, start.atZone(c.zone()));
      assertThat(ours).as("%s after %s", c.expression(), start).isPresent().isEqualTo(theirs);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theBenchParamsNameEveryCase(String name) {
    assertThat(CronCases.NAMES.split(",")).contains(name);
  }
}
