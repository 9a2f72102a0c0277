package dev.chime.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a bulk request did, schedule by schedule.
 *
 * @param action the action's wire name
 * @param done schedules changed
 * @param unchanged schedules already so
 * @param notFound ids with no schedule in the tenant
 * @param refused schedules the change would break a rule or limit of
 * @param results one per schedule, in the order of the ids (oldest first for a selector)
 */
public record BulkResult(
    String action, int done, int unchanged, int notFound, int refused, List<Item> results) {
  /** Copies the results. */
  public BulkResult {
    Objects.requireNonNull(action, "action");
    results = List.copyOf(results);
  }

  /**
   * What happened to one schedule.
   *
   * @param id the schedule
   * @param result {@code done}, {@code unchanged}, {@code not_found} or {@code refused}
   * @param detail why it was refused
   */
  public record Item(UUID id, String result, Optional<String> detail) {
    /** Checks that every part is given. */
    public Item {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
