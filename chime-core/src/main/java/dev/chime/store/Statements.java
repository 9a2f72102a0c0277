package dev.chime.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Small shapes the stores' SQL shares. */
final class Statements {
  private Statements() {}

  /** Whether one statement of a JDBC batch changed its row. */
  static boolean changed(int batchCount) {
    return batchCount > 0 || batchCount == PreparedStatement.SUCCESS_NO_INFO;
  }

  /** How many values one statement's list of ids or keys takes at most. */
  static final int PART = 500;

  /** {@code items} in consecutive parts of at most {@link #PART}, one statement's worth each. */
  static <T> List<List<T>> parts(List<T> items) {
    List<List<T>> parts = new ArrayList<>((items.size() + PART - 1) / PART);
    for (int from = 0; from < items.size(); from += PART) {
      parts.add(items.subList(from, Math.min(items.size(), from + PART)));
    }
    return parts;
  }

  /**
   * The items sorted by the id of the row each one writes: every batch takes its row locks in one
   * order, so two transactions never wait on each other in a circle.
   */
  static <T> List<T> inIdOrder(Collection<T> items, Function<T, UUID> id) {
    // ids are stored as text, so the order is the text's; each id is written out once, not in
    // every comparison (a batch of 500 made some 9,000 strings)
    List<Map.Entry<String, T>> keyed = new ArrayList<>(items.size());
    for (T item : items) {
      keyed.add(Map.entry(id.apply(item).toString(), item));
    }
    keyed.sort(Map.Entry.comparingByKey());
    List<T> ordered = new ArrayList<>(keyed.size());
    for (Map.Entry<String, T> entry : keyed) {
      ordered.add(entry.getValue());
    }
    return ordered;
  }

  /**
   * A condition on a run's scheduled instant that a statement by run id adds when it knows the
   * instant: where runs are partitioned by day it leads the database to the one partition (two, at
   * midnight) that can hold the row instead of a look in every partition's index. A second either
   * way, so that it can never miss the row; the id alone decides which row it is.
   */
  static final String NEAR_INSTANT = " AND scheduled_at BETWEEN ? AND ?";

  /**
   * An instant bound on H2 as a value of the runs' {@code scheduled_at} type, rounded to its
   * microseconds as the value was when it was written, so that it can be matched by equality.
   */
  static final String H2_INSTANT_PARAMETER = "CAST(? AS TIMESTAMP(6) WITH TIME ZONE)";

  /** Binds {@link #NEAR_INSTANT} at {@code index}; returns the next parameter's index. */
  static int bindNear(Dialect dialect, PreparedStatement statement, int index, Instant at)
      throws SQLException {
    dialect.setInstant(statement, index, at.minusSeconds(1));
    dialect.setInstant(statement, index + 1, at.plusSeconds(1));
    return index + 2;
  }

  /**
   * {@code LIMIT n}, written into the statement rather than bound. With a bound limit PostgreSQL
   * plans a read of runs partitioned by day again at every call, over every partition (a custom
   * plan looks cheaper than the one it keeps); written, the statement keeps one plan.
   */
  static String limit(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + count);
    }
    return " LIMIT " + count;
  }

  /** {@code ?,?,...,?} for an IN list of {@code count} values. */
  static String placeholders(int count) {
    return String.join(",", Collections.nCopies(count, "?"));
  }
}
