package dev.chime.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One action on many schedules (at most 1000), named by their ids or selected with a list's
 * filters.
 *
 * @param action what to do
 * @param ids the schedules, when named by id
 * @param selector the filters, when selected ({@code name} and the page size are not used)
 */
public record BulkRequest(Action action, List<UUID> ids, Optional<ScheduleQuery> selector) {
  /** What a bulk request does to each schedule. */
  public enum Action {
    /** Switch on. */
    ENABLE("enable"),
    /** Switch off. */
    DISABLE("disable"),
    /** Delete with its runs. */
    DELETE("delete"),
    /** Queue a run for now. */
    RUN_NOW("run-now");

    private final String wireName;

    Action(String wireName) {
      this.wireName = wireName;
    }

    /** The name on the wire, such as {@code run-now}. */
    public String wireName() {
      return wireName;
    }
  }

  /** Checks that exactly one of ids and selector is given. */
  public BulkRequest {
    Objects.requireNonNull(action, "action");
    ids = List.copyOf(ids);
    Objects.requireNonNull(selector, "selector");
    if (ids.isEmpty() == selector.isEmpty()) {
      throw new IllegalArgumentException("a bulk request names ids or a selector, not both");
    }
    if (selector.isPresent() && selector.get().name().isPresent()) {
      throw new IllegalArgumentException("a bulk selector has no name filter; use withText");
    }
  }

  /** {@code action} on the schedules with these ids. */
  public static BulkRequest of(Action action, List<UUID> ids) {
    return new BulkRequest(action, ids, Optional.empty());
  }

  /** {@code action} on every schedule the query's filters match. */
  public static BulkRequest matching(Action action, ScheduleQuery selector) {
    return new BulkRequest(action, List.of(), Optional.of(selector));
  }
}
