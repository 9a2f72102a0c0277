package dev.chime.store;

import java.util.Optional;

/** Filters and paging for a schedule listing. */
public record ScheduleQuery(
    Optional<Boolean> enabled, Optional<String> nameContains, Optional<String> cursor, int limit) {
  public static final int MAX_LIMIT = 500;

  public ScheduleQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }
}
