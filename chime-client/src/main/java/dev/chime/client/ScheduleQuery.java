package dev.chime.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The filters of a schedule list, all optional and combined with "and". Start from {@link #all()}
 * and narrow it.
 *
 * @param enabled only enabled, or only disabled schedules
 * @param name a part of the name, any case
 * @param text a part of the name or the description, any case (the API's {@code q})
 * @param label a label selector such as {@code team=billing,env!=dev}, {@code tier} or {@code
 *     !legacy}
 * @param lastStatus the status of the last finished run ({@code success}, {@code failed}, {@code
 *     timeout}), or {@code none}
 * @param pageSize schedules per page fetched (1–500)
 */
public record ScheduleQuery(
    Optional<Boolean> enabled,
    Optional<String> name,
    Optional<String> text,
    Optional<String> label,
    Optional<String> lastStatus,
    int pageSize) {
  /** The API's default page size. */
  public static final int DEFAULT_PAGE_SIZE = 50;

  /** Checks the page size. */
  public ScheduleQuery {
    Objects.requireNonNull(enabled, "enabled");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(lastStatus, "lastStatus");
    if (pageSize < 1 || pageSize > 500) {
      throw new IllegalArgumentException("page size must be 1-500, got " + pageSize);
    }
  }

  /** Every schedule of the tenant. */
  public static ScheduleQuery all() {
    return new ScheduleQuery(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_PAGE_SIZE);
  }

  /** Only enabled ({@code true}) or only disabled ({@code false}) schedules. */
  public ScheduleQuery withEnabled(boolean enabled) {
    return new ScheduleQuery(Optional.of(enabled), name, text, label, lastStatus, pageSize);
  }

  /** Only schedules whose name holds {@code name}, any case. */
  public ScheduleQuery withName(String name) {
    return new ScheduleQuery(enabled, Optional.of(name), text, label, lastStatus, pageSize);
  }

  /** Only schedules whose name or description holds {@code text}, any case. */
  public ScheduleQuery withText(String text) {
    return new ScheduleQuery(enabled, name, Optional.of(text), label, lastStatus, pageSize);
  }

  /** Only schedules matching a label selector. */
  public ScheduleQuery withLabel(String selector) {
    return new ScheduleQuery(enabled, name, text, Optional.of(selector), lastStatus, pageSize);
  }

  /** Only schedules whose last finished run ended so ({@code none}: none has yet). */
  public ScheduleQuery withLastStatus(String status) {
    return new ScheduleQuery(enabled, name, text, label, Optional.of(status), pageSize);
  }

  /** Pages of {@code pageSize} schedules. */
  public ScheduleQuery withPageSize(int pageSize) {
    return new ScheduleQuery(enabled, name, text, label, lastStatus, pageSize);
  }
}
