package dev.chime.store;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Small shapes the stores' SQL shares. */
final class Statements {
  private Statements() {}

  /** Whether one statement of a JDBC batch changed its row. */
  static boolean changed(int batchCount) {
    return batchCount > 0 || batchCount == PreparedStatement.SUCCESS_NO_INFO;
  }

  /**
   * The items sorted by the id of the row each one writes: every batch takes its row locks in one
   * order, so two transactions never wait on each other in a circle.
   */
  static <T> List<T> inIdOrder(Collection<T> items, Function<T, UUID> id) {
    List<T> ordered = new ArrayList<>(items);
    ordered.sort(Comparator.comparing(item -> id.apply(item).toString()));
    return ordered;
  }

  /** {@code ?,?,...,?} for an IN list of {@code count} values. */
  static String placeholders(int count) {
    return String.join(",", Collections.nCopies(count, "?"));
  }
}
