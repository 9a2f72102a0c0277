package dev.chime.store;

import dev.chime.InvalidInputException;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.Labels;
import dev.chime.schedule.PolicyJson;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleJson;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.schedule.TargetJson;
import dev.chime.schedule.Trigger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A schedule as a row of {@code schedules}: its columns, how it is bound and read. */
final class ScheduleRows {
  private ScheduleRows() {}

  static final String COLUMNS =
      "id, tenant_id, name, description, enabled, trigger_json, target_json, payload_json,"
          + " next_fire_at, last_fire_at, created_at, updated_at, policy_json,"
          + " consecutive_failures, last_status, disabled_reason, labels_json";

  static Schedule read(ResultSet rows, Dialect dialect) throws SQLException {
    Trigger trigger = ScheduleJson.storedTrigger(rows.getString("trigger_json"));
    HttpTarget target = TargetJson.stored(rows.getString("target_json"));
    ScheduleSpec spec =
        new ScheduleSpec(
            rows.getString("name"),
            rows.getString("description"),
            rows.getBoolean("enabled"),
            trigger,
            target,
            rows.getString("payload_json"),
            PolicyJson.fromStored(rows.getString("policy_json")),
            Labels.stored(rows.getString("labels_json")));
    return new Schedule(
        UUID.fromString(rows.getString("id")),
        rows.getString("tenant_id"),
        spec,
        dialect.getInstant(rows, "next_fire_at"),
        dialect.getInstant(rows, "last_fire_at"),
        dialect.getInstant(rows, "created_at").orElseThrow(),
        dialect.getInstant(rows, "updated_at").orElseThrow(),
        new Schedule.Health(
            rows.getInt("consecutive_failures"),
            Optional.ofNullable(rows.getString("last_status")),
            Optional.ofNullable(rows.getString("disabled_reason"))));
  }

  static void bindAll(PreparedStatement statement, Schedule schedule, Dialect dialect)
      throws SQLException {
    ScheduleSpec spec = schedule.spec();
    statement.setString(1, schedule.id().toString());
    statement.setString(2, schedule.tenantId());
    statement.setString(3, spec.name());
    statement.setString(4, spec.description());
    statement.setBoolean(5, spec.enabled());
    statement.setString(6, ScheduleJson.write(ScheduleJson.triggerJson(spec.trigger())));
    statement.setString(7, TargetJson.toStored(spec.target()));
    statement.setString(8, spec.payloadJson());
    dialect.setInstant(statement, 9, schedule.nextFireAt().orElse(null));
    dialect.setInstant(statement, 10, schedule.lastFireAt().orElse(null));
    dialect.setInstant(statement, 11, schedule.createdAt());
    dialect.setInstant(statement, 12, schedule.updatedAt());
    statement.setString(13, PolicyJson.toStored(spec.policy()));
    statement.setInt(14, schedule.health().consecutiveFailures());
    statement.setString(15, schedule.health().lastStatus().orElse(null));
    statement.setString(16, schedule.health().disabledReason().orElse(null));
    statement.setString(17, ScheduleJson.write(Labels.write(spec.labels())));
  }

  /**
   * Names and descriptions are limited in characters, which PostgreSQL and MariaDB count as a user
   * does; H2 counts UTF-16 units, so there text with many characters beyond U+FFFF can be within
   * the limit and still not fit its column. Said as bad input, before the database refuses it.
   */
  static void checkFitsColumns(Dialect dialect, ScheduleSpec spec) {
    if (!dialect.countsUtf16Units()) {
      return;
    }
    List<InvalidInputException.FieldError> errors = new ArrayList<>();
    fits("name", spec.name(), ScheduleJson.NAME_MAX, errors);
    fits("description", spec.description(), ScheduleJson.DESCRIPTION_MAX, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private static void fits(
      String field, String text, int max, List<InvalidInputException.FieldError> errors) {
    if (text.length() > max) {
      errors.add(
          new InvalidInputException.FieldError(
              field,
              "is "
                  + text.codePointCount(0, text.length())
                  + " characters, but the embedded H2 database counts each character beyond"
                  + " U+FFFF (most emoji) as two: "
                  + text.length()
                  + " of its "
                  + max));
    }
  }
}
