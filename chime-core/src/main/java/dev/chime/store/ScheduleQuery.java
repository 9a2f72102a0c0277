package dev.chime.store;

import dev.chime.schedule.LabelSelector;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters and paging for a schedule listing: enabled or not, a name that contains a text, a name or
 * description that contains a text, labels that match a selector, the status of the last run
 * ({@code none} for schedules that never ran).
 */
public record ScheduleQuery(
    Optional<Boolean> enabled,
    Optional<String> nameContains,
    Optional<String> textContains,
    Optional<LabelSelector> labels,
    Optional<String> lastStatus,
    Optional<String> cursor,
    int limit) {
  public static final int MAX_LIMIT = 500;

  /** The value of {@code lastStatus} that selects schedules without a finished run. */
  public static final String NO_STATUS = "none";

  public ScheduleQuery {
    Objects.requireNonNull(enabled, "enabled");
    Objects.requireNonNull(nameContains, "nameContains");
    Objects.requireNonNull(textContains, "textContains");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(lastStatus, "lastStatus");
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  public ScheduleQuery(
      Optional<Boolean> enabled,
      Optional<String> nameContains,
      Optional<String> cursor,
      int limit) {
    this(
        enabled, nameContains, Optional.empty(), Optional.empty(), Optional.empty(), cursor, limit);
  }
}
