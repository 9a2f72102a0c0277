package dev.chime.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronSyntaxTest {

  @ParameterizedTest(name = "[{0}] -> {1} at {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          ""                  | expression   | 0  | expression is empty
          "   "               | expression   | 0  | expression is empty
          * * * *             | expression   | 7  | found 4 fields, expected 5
          * * * * * * *       | expression   | 12 | found 7 fields
          @foo                | expression   | 0  | unknown macro @foo
          @daily 5            | expression   | 0  | unknown macro
          60 * * * * *        | second       | 0  | 60 is out of range 0-59
          0 61 * * * *        | minute       | 2  | 61 is out of range 0-59
          61 * * * *          | minute       | 0  | 61 is out of range 0-59
          0 24 * * *          | hour         | 2  | 24 is out of range 0-23
          0 0 32 * *          | day-of-month | 4  | 32 is out of range 1-31
          0 0 0 * *           | day-of-month | 4  | 0 is out of range 1-31
          0 0 * 13 *          | month        | 6  | 13 is out of range 1-12
          0 0 * 0 *           | month        | 6  | 0 is out of range 1-12
          0 0 * * 8           | day-of-week  | 8  | 8 is out of range 0-7
          0 0 * * 1-9         | day-of-week  | 10 | 9 is out of range 0-7
          5-1 * * * *         | minute       | 0  | range 5-1 is reversed
          0 0 20-10 * *       | day-of-month | 4  | range 20-10 is reversed
          0 0 * * FRI-MON     | day-of-week  | 8  | range FRI-MON is reversed
          0 0 * DEC-JAN *     | month        | 6  | range DEC-JAN is reversed
          */0 * * * *         | minute       | 2  | step 0 is out of range 1-60
          0 0 1-5/0 * *       | day-of-month | 8  | step 0 is out of range
          0 */25 * * *        | hour         | 4  | step 25 is out of range 1-24
          */ * * * *          | minute       | 2  | expected a number
          1,,2 * * * *        | minute       | 2  | empty list item
          "1, * * * *"        | minute       | 2  | empty list item
          ",1 * * * *"        | minute       | 0  | empty list item
          0 0 * FOO *         | month        | 6  | unknown month name 'FOO'
          0 0 * JANUARY *     | month        | 6  | unknown month name 'JANUARY'
          0 0 * * MON-FOO     | day-of-week  | 12 | unknown day name 'FOO'
          0 0 * * MONDAY      | day-of-week  | 8  | unknown day name 'MONDAY'
          0 0 MON * *         | day-of-month | 4  | unexpected 'MON'
          x * * * *           | minute       | 0  | unexpected 'x'
          5x * * * *          | minute       | 1  | unexpected character 'x'
          0 0 * * 1.5         | day-of-week  | 9  | unexpected character '.'
          "0 0 * * 1-"        | day-of-week  | 10 | expected a value
          0 ? * * *           | hour         | 2  | ? is only allowed
          0 0 ?,1 * *         | day-of-month | 4  | ? must stand alone
          0 L * * *           | hour         | 2  | unexpected 'L'
          0 0 * * 5W          | day-of-week  | 9  | unexpected character 'W'
          0 0 * 5W *          | month        | 7  | unexpected character 'W'
          0 0 32W * *         | day-of-month | 4  | 32 is out of range 1-31
          0 0 L-31 * *        | day-of-month | 6  | L-31 is out of range
          0 0 LX * *          | day-of-month | 5  | unexpected character 'X'
          0 0 L-2W * *        | day-of-month | 7  | unexpected character 'W'
          0 0 * * MON#6       | day-of-week  | 12 | #6 is out of range
          0 0 * * 1#0         | day-of-week  | 10 | #0 is out of range
          "0 0 * * 1#"        | day-of-week  | 10 | expected a number
          0 0 1#2 * *         | day-of-month | 5  | unexpected character '#'
          0 0 * * L           | day-of-week  | 8  | L alone is not allowed
          0 0 * * 5L3         | day-of-week  | 10 | unexpected character '3'
          "  61 * * * *  "    | minute       | 0  | 61 is out of range
          "0\t0 * * 9"        | day-of-week  | 8  | 9 is out of range
          0 0 1 1 MON 2030    | month        | 8  | unknown month name 'MON'
          0 0 0 1 1 MON 2030  | expression   | 14 | found 7 fields
          """)
  void rejects(String input, String field, int position, String reason) {
    String text = input.replace("\\t", "\t");
    CronSyntaxException e =
        catchThrowableOfType(CronSyntaxException.class, () -> CronExpression.parse(text));
    assertThat(e).as("parse(%s)", text).isNotNull();
    assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
    assertThat(e.position()).as(e.getMessage()).isEqualTo(position);
    assertThat(e.reason()).as(e.getMessage()).contains(reason);
    assertThat(e.getMessage())
        .isEqualTo(
            field.equals("expression")
                ? "expression at position " + position + ": " + e.reason()
                : field + " field at position " + position + ": " + e.reason());
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void messageNamesFieldAndPosition() {
    CronSyntaxException e =
        catchThrowableOfType(CronSyntaxException.class, () -> CronExpression.parse("0 61 * * * *"));
    assertThat(e.getMessage()).isEqualTo("minute field at position 2: 61 is out of range 0-59");
    assertThat(e.reason()).isEqualTo("61 is out of range 0-59");
  }

  @Test
  void nullIsRejected() {
    CronSyntaxException e =
        catchThrowableOfType(CronSyntaxException.class, () -> CronExpression.parse(null));
    assertThat(e.field()).isEqualTo("expression");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "* * * * *",
        "*/5 * * * *",
        "0 9 * * 1-5",
        "0 9 * * MON-FRI",
        "0 9 * * mon-fri",
        "0 0 1 jan,Jul *",
        "0 0 ? * SUN",
        "0 0 1 * ?",
        "0 0 ? * ?",
        "0 0 * * 0,7",
        "0 0 * * 5-7",
        "0 0 L * *",
        "0 0 l * *",
        "0 0 L-3 * *",
        "0 0 L-0 * *",
        "0 0 15W * *",
        "0 0 15w * *",
        "0 0 LW * *",
        "0 0 1,15,L * *",
        "0 0 * * 5L",
        "0 0 * * FRIL",
        "0 0 * * fril",
        "0 0 * * FRI#3",
        "0 0 * * 5#3,1#1",
        "0 0 * * 7L",
        "0 0 * * 7#2",
        "5/15 * * * *",
        "10-50/20 * * * *",
        "0 0 */31 * *",
        "* * * * * *",
        "\t0   9\t* *  1-5  ",
        "@yearly",
        "@ANNUALLY",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
        "0 0 30 2 *",
      })
  void accepts(String text) {
    assertThatCode(() -> CronExpression.parse(text)).doesNotThrowAnyException();
  }

  @Test
  void keepsTrimmedTextAndComparesOnIt() {
    CronExpression a = CronExpression.parse("  0 9 * * 1-5\t");
    assertThat(a.expression()).isEqualTo("0 9 * * 1-5");
    assertThat(a.toString()).isEqualTo("0 9 * * 1-5");
    assertThat(a).isEqualTo(CronExpression.parse("0 9 * * 1-5"));
    assertThat(a.hashCode()).isEqualTo(CronExpression.parse("0 9 * * 1-5").hashCode());
    assertThat(a).isNotEqualTo(CronExpression.parse("0 9 * * MON-FRI"));
    assertThat(CronExpression.parse("@Daily").expression()).isEqualTo("@Daily");
  }
}
