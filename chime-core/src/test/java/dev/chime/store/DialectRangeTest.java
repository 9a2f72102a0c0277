package dev.chime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DialectRangeTest {
  private static final List<String> TEXTS =
      List.of(
          "",
          "a",
          "node",
          "node-",
          "node-`",
          "node-`\uffff",
          "node-a",
          "node-a\u0000",
          "node-a0",
          "node-b",
          "node-\u0000",
          "zz",
          "\uffff");

  @Test
  void onH2TheRangeBeforeAValueHoldsExactlyTheTextsOfAtMostItsLengthThatSortBeforeIt() {
    for (String value : TEXTS) {
      var before = Dialect.H2.before(value, 16);
      for (String text : TEXTS) {
        boolean inRange =
            before.isPresent()
                && before.get().operator().equals("<=")
                && text.compareTo(before.get().bound()) <= 0;
        assertThat(inRange)
            .as("'%s' before '%s'", text, value)
            .isEqualTo(text.compareTo(value) < 0);
      }
    }
  }

  @Test
  void onH2TheRangeAfterAValueStartsAtTheFirstTextAfterIt() {
    for (String value : TEXTS) {
      Dialect.Range after = Dialect.H2.after(value);
      assertThat(after.operator()).isEqualTo(">=");
      for (String text : TEXTS) {
        assertThat(text.compareTo(after.bound()) >= 0)
            .as("'%s' after '%s'", text, value)
            .isEqualTo(text.compareTo(value) > 0);
      }
    }
  }

  @Test
  void elsewhereTheRangesAreStrictComparisonsWithTheValueItself() {
    for (Dialect dialect : List.of(Dialect.POSTGRESQL, Dialect.MARIADB)) {
      assertThat(dialect.before("node-a", 128)).contains(new Dialect.Range("<", "node-a"));
      assertThat(dialect.after("node-a")).isEqualTo(new Dialect.Range(">", "node-a"));
      assertThat(dialect.before("", 128)).isEmpty();
    }
  }
}
