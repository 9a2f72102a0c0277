package dev.chime.server.api;

import dev.chime.NotFoundException;
import dev.chime.schedule.LabelSelector;
import dev.chime.schedule.Schedule;
import dev.chime.store.Page;
import dev.chime.store.ScheduleQuery;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The schedules an older scheduler's API sees: the tenant's schedules made through it, which carry
 * the label {@code compat=<api>}. Anything else is not there for that API (404), as it never was.
 */
final class CompatSchedules {
  static final String LABEL = "compat";

  private final ScheduleOperations operations;
  private final String api;

  CompatSchedules(ScheduleOperations operations, String api) {
    this.operations = operations;
    this.api = api;
  }

  /** The label every schedule of this API carries, as a create body's {@code labels} holds it. */
  String label() {
    return api;
  }

  /** Every such schedule of the tenant, in creation order. */
  List<Schedule> all(String tenantId) {
    LabelSelector selector = LabelSelector.parse(LABEL + "=" + api, "label");
    List<Schedule> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Schedule> page =
          operations.list(
              tenantId,
              new ScheduleQuery(
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of(selector),
                  Optional.empty(),
                  cursor,
                  ScheduleQuery.MAX_LIMIT));
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return all;
  }

  /** The schedule, if it is one of this API's in the tenant. */
  Schedule get(String tenantId, UUID id, String kind) {
    Schedule schedule = operations.get(tenantId, id);
    if (!api.equals(schedule.spec().labels().get(LABEL))) {
      throw new NotFoundException(kind, id.toString());
    }
    return schedule;
  }

  /** Refuses a field the older API did not have, naming the ones it had. */
  static void onlyFields(
      com.fasterxml.jackson.databind.JsonNode body,
      dev.chime.schedule.ScheduleJson.Errors errors,
      java.util.Set<String> known) {
    body.fieldNames()
        .forEachRemaining(
            field -> {
              if (!known.contains(field)) {
                errors.add(
                    field,
                    "unknown field; this API takes "
                        + String.join(", ", new java.util.TreeSet<>(known)));
              }
            });
  }

  private static final DateTimeFormatter NAIVE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  /** An instant as the older APIs wrote time: UTC without an offset, to the second. */
  static String naiveUtc(Instant instant) {
    return NAIVE.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  /**
   * A time as the older APIs took it: UTC without an offset ({@code 2026-12-01T09:00:00}); one with
   * an offset or {@code Z} is taken as it says. Empty when the text is neither.
   */
  static Optional<Instant> readNaiveUtc(String text) {
    try {
      return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
    } catch (java.time.format.DateTimeParseException notNaive) {
      try {
        return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
      } catch (java.time.format.DateTimeParseException neither) {
        return Optional.empty();
      }
    }
  }
}
