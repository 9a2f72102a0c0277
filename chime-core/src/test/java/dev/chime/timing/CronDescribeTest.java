package dev.chime.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronDescribeTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0 9 * * 1-5            | At 09:00, Monday through Friday
          0 9 * * MON-FRI        | At 09:00, Monday through Friday
          * * * * *              | Every minute
          */5 * * * *            | Every 5 minutes
          30 * * * * *           | At 30 seconds past the minute
          * * * * * *            | Every second
          */10 * * * * *         | Every 10 seconds
          0 0 1 * *              | At 00:00, on day 1 of the month
          0 0 * 1 *              | At 00:00, only in January
          0 12 L * *             | At 12:00, on the last day of the month
          15 10 ? * FRI#3        | At 10:15, on the third Friday of the month
          0 9-17 * * *           | Every hour, between 09:00 and 17:59
          0 * * * *              | Every hour
          0 */2 * * *            | Every 2 hours
          30 * * * *             | At 30 minutes past the hour
          1 * * * *              | At 1 minute past the hour
          */15 9-17 * * 1-5      | Every 15 minutes, between 09:00 and 17:59, Monday through Friday
          * 9 * * *              | Every minute, between 09:00 and 09:59
          5,10 1-3 * * *         | At 5 and 10 minutes past the hour, between 01:00 and 03:59
          0 9,17 * * *           | At 09:00 and 17:00
          30 8 * * 0             | At 08:30, only on Sunday
          30 8 * * 6,7           | At 08:30, only on Saturday and Sunday
          0 0 L-3 * *            | At 00:00, 3 days before the last day of the month
          0 0 15W * *            | At 00:00, on the weekday nearest day 15 of the month
          0 0 LW * *             | At 00:00, on the last weekday of the month
          0 0 * * 5L             | At 00:00, on the last Friday of the month
          0 0 1,15 * *           | At 00:00, on days 1 and 15 of the month
          0 0 1 1,7 *            | At 00:00, on day 1 of the month, only in January and July
          0 0 1 JAN-MAR *        | At 00:00, on day 1 of the month, January through March
          0 0 1 */3 *            | At 00:00, on day 1 of the month, every 3 months
          0 0 13 * FRI           | At 00:00, on day 13 of the month or on Friday
          30 15 10 * * *         | At 10:15:30
          @daily                 | At 00:00
          @hourly                | Every hour
          @weekly                | At 00:00, only on Sunday
          @monthly               | At 00:00, on day 1 of the month
          @yearly                | At 00:00, on day 1 of the month, only in January
          """)
  void describesCommonShapes(String expr, String expected) {
    assertThat(CronExpression.parse(expr).describe()).isEqualTo(expected);
  }

  /** Random valid expressions always get a non-empty, capitalised sentence, without throwing. */
  @Test
  void alwaysDescribesSomething() {
    Random random = new Random(5);
    for (int i = 0; i < 3000; i++) {
      String expr =
          random.nextBoolean()
              ? CronDifferentialTest.generate(random).ours()
              : CronPropertyTest.generate(random).text();
      String d = CronExpression.parse(expr).describe();
      assertThat(d).as(expr).isNotBlank().doesNotContain("null");
      assertThat(Character.isUpperCase(d.charAt(0))).as(expr + " -> " + d).isTrue();
    }
  }
}
