package dev.chime.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronGapTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          * * * * * *            | PT1S
          */10 * * * * *         | PT10S
          0,5 30 9 * * *         | PT5S
          0,50 * * * * *         | PT10S
          0,59 0,1 * * * *       | PT1S
          * * * * *              | PT1M
          */5 * * * *            | PT5M
          0,59 * * * *           | PT1M
          59 23,0 * * *          | PT1H
          0,59 0,23 * * *        | PT1M
          0 9 * * 1-5            | PT24H
          0 9,17 * * *           | PT8H
          0 0,23 * * *           | PT1H
          0 9 * * MON            | PT168H
          0 0 1 * *              | PT672H
          0 0 L * *              | PT672H
          0 0 1,L * *            | PT24H
          0 0 29 2 *             | PT35064H
          0 0 13 * FRI           | PT24H
          @hourly                | PT1H
          @daily                 | PT24H
          @yearly                | PT8760H
          """)
  void theShortestGapIsWorkedOutFromTheFields(String expr, Duration expected) {
    assertThat(CronExpression.parse(expr).shortestGap()).isEqualTo(expected);
  }

  /** Listing real fires never finds two closer than the shortest gap, and does find that gap. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          */7 */13 * * * *
          0,5 30 9 * * *
          59 23,0 * * *
          0 0 1,L * *
          0,30 0,59 0,23 * * *
          0 0 13 * FRI
          10 1-3,22 * * 1,3
          """)
  void listedFiresAgreeWithTheShortestGap(String expr) {
    CronExpression cron = CronExpression.parse(expr);
    Duration shortest = cron.shortestGap();
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    Duration seen = null;
    for (int i = 0; i < 5_000; i++) {
      Optional<Instant> next = cron.nextAfter(at, ZoneOffset.UTC);
      if (next.isEmpty()) {
        break;
      }
      Duration gap = Duration.between(at, next.get());
      if (i > 0 && (seen == null || gap.compareTo(seen) < 0)) {
        seen = gap;
      }
      at = next.get();
    }
    assertThat(seen).isEqualTo(shortest);
  }
}
