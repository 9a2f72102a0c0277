package dev.chime.store;

import dev.chime.ConflictException;
import dev.chime.InvalidInputException;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.PolicyJson;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleJson;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.schedule.TargetJson;
import dev.chime.schedule.Trigger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Schedules in the database, always seen through one tenant. */
public final class ScheduleStore {
  private static final String COLUMNS =
      "id, tenant_id, name, description, enabled, trigger_json, target_json, payload_json,"
          + " next_fire_at, last_fire_at, created_at, updated_at, policy_json,"
          + " consecutive_failures, last_status, disabled_reason";

  private final Database db;
  private final Dialect dialect;

  public ScheduleStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  public void insert(Schedule schedule) {
    checkFitsColumns(schedule.spec());
    try {
      db.inTransaction(
          connection -> {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO schedules ("
                        + COLUMNS
                        + ", trigger_type, lease_epoch) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)")) {
              bindAll(insert, schedule);
              insert.setString(17, schedule.spec().trigger().type());
              insert.executeUpdate();
            }
            WakeUps.announce(connection, dialect, WakeUps.Change.SCHEDULE);
            return null;
          });
    } catch (StoreException e) {
      throw duplicateNameOr(e, schedule.spec().name());
    }
  }

  /**
   * Inserts many schedules: one transaction and one JDBC batch per chunk of 1000, so that tens of
   * thousands of schedules (a load test's) are written in seconds rather than minutes. A chunk that
   * fails (a duplicate name) is rolled back whole; the chunks before it stay written.
   */
  public void insertAll(List<Schedule> schedules) {
    int chunkSize = 1000;
    for (int from = 0; from < schedules.size(); from += chunkSize) {
      List<Schedule> chunk = schedules.subList(from, Math.min(from + chunkSize, schedules.size()));
      db.inTransaction(
          connection -> {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO schedules ("
                        + COLUMNS
                        + ", trigger_type, lease_epoch) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)")) {
              for (Schedule schedule : chunk) {
                bindAll(insert, schedule);
                insert.setString(17, schedule.spec().trigger().type());
                insert.addBatch();
              }
              insert.executeBatch();
            }
            WakeUps.announce(connection, dialect, WakeUps.Change.SCHEDULE);
            return null;
          });
    }
  }

  public Optional<Schedule> get(String tenantId, UUID id) {
    return db.inTransaction(connection -> find(connection, tenantId, id, false));
  }

  /**
   * The change {@link #update} makes: a new spec, the next fire that goes with it, and the
   * schedule's health (switching a schedule back on clears why Chime had disabled it).
   */
  public record Change(ScheduleSpec spec, Optional<Instant> nextFireAt, Schedule.Health health) {}

  /**
   * Changes a schedule under a row lock, so concurrent updates do not lose each other's work.
   * {@code change} sees the current schedule and returns the new state. The lease is dropped and
   * its epoch bumped: a node holding the old version in memory will find its write-back fenced out,
   * and the schedule is claimed afresh with the new trigger and target.
   */
  public Optional<Schedule> update(
      String tenantId, UUID id, Instant now, Function<Schedule, Change> change) {
    String[] attemptedName = {""};
    try {
      return db.inTransaction(
          connection -> {
            Optional<Schedule> current = find(connection, tenantId, id, true);
            if (current.isEmpty()) {
              return Optional.empty();
            }
            Change next = change.apply(current.get());
            checkFitsColumns(next.spec());
            attemptedName[0] = next.spec().name();
            Schedule updated =
                new Schedule(
                    id,
                    tenantId,
                    next.spec(),
                    next.nextFireAt(),
                    current.get().lastFireAt(),
                    current.get().createdAt(),
                    now,
                    next.health());
            try (PreparedStatement statement =
                connection.prepareStatement(
                    "UPDATE schedules SET name = ?, description = ?, enabled = ?, trigger_type = ?,"
                        + " trigger_json = ?, target_json = ?, payload_json = ?, next_fire_at = ?,"
                        + " updated_at = ?, policy_json = ?, consecutive_failures = ?,"
                        + " disabled_reason = ?, lease_owner = NULL, lease_until = NULL,"
                        + " lease_epoch = lease_epoch + 1 WHERE id = ? AND tenant_id = ?")) {
              ScheduleSpec spec = updated.spec();
              statement.setString(1, spec.name());
              statement.setString(2, spec.description());
              statement.setBoolean(3, spec.enabled());
              statement.setString(4, spec.trigger().type());
              statement.setString(5, ScheduleJson.write(ScheduleJson.triggerJson(spec.trigger())));
              statement.setString(6, TargetJson.toStored(spec.target()));
              statement.setString(7, spec.payloadJson());
              dialect.setInstant(statement, 8, updated.nextFireAt().orElse(null));
              dialect.setInstant(statement, 9, now);
              statement.setString(10, PolicyJson.toStored(spec.policy()));
              statement.setInt(11, updated.health().consecutiveFailures());
              statement.setString(12, updated.health().disabledReason().orElse(null));
              statement.setString(13, id.toString());
              statement.setString(14, tenantId);
              statement.executeUpdate();
            }
            if (current.get().spec().enabled() && !updated.spec().enabled()) {
              Finisher.cancelQueued(
                  connection, dialect, List.of(id), now, "the schedule was disabled");
            }
            WakeUps.announce(connection, dialect, WakeUps.Change.SCHEDULE);
            return Optional.of(updated);
          });
    } catch (StoreException e) {
      throw duplicateNameOr(e, attemptedName[0]);
    }
  }

  /** Deletes a schedule and its runs; false when there was none. */
  public boolean delete(String tenantId, UUID id) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement("DELETE FROM schedules WHERE id = ? AND tenant_id = ?")) {
            statement.setString(1, id.toString());
            statement.setString(2, tenantId);
            return statement.executeUpdate() == 1;
          }
        });
  }

  public Page<Schedule> list(String tenantId, ScheduleQuery query) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM schedules WHERE tenant_id = ?");
    List<Object> params = new ArrayList<>();
    params.add(tenantId);
    query
        .enabled()
        .ifPresent(
            enabled -> {
              sql.append(" AND enabled = ?");
              params.add(enabled);
            });
    query
        .nameContains()
        .ifPresent(
            name -> {
              sql.append(" AND ").append(dialect.containsIgnoreCase("name"));
              params.add("%" + escapeLike(name.toLowerCase(Locale.ROOT)) + "%");
            });
    Optional<Cursor> after = query.cursor().map(Cursor::decode);
    after.ifPresent(
        cursor -> {
          sql.append(" AND (created_at > ? OR (created_at = ? AND id > ?))");
          params.add(cursor.at());
          params.add(cursor.at());
          params.add(cursor.id().toString());
        });
    sql.append(" ORDER BY created_at, id LIMIT ?");
    params.add(query.limit() + 1);
    List<Schedule> rows =
        db.inTransaction(
            connection -> {
              try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                bindParams(statement, params);
                return readAll(statement);
              }
            });
    if (rows.size() <= query.limit()) {
      return new Page<>(rows, Optional.empty());
    }
    List<Schedule> page = rows.subList(0, query.limit());
    Schedule last = page.get(page.size() - 1);
    return new Page<>(page, Optional.of(new Cursor(last.createdAt(), last.id()).encode()));
  }

  private Optional<Schedule> find(Connection connection, String tenantId, UUID id, boolean lock)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM schedules WHERE id = ? AND tenant_id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
      statement.setString(1, id.toString());
      statement.setString(2, tenantId);
      List<Schedule> rows = readAll(statement);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
  }

  private List<Schedule> readAll(PreparedStatement statement) throws SQLException {
    List<Schedule> result = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        result.add(read(rows));
      }
    }
    return result;
  }

  private Schedule read(ResultSet rows) throws SQLException {
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
            PolicyJson.fromStored(rows.getString("policy_json")));
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

  private void bindAll(PreparedStatement statement, Schedule schedule) throws SQLException {
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
  }

  private void bindParams(PreparedStatement statement, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object param = params.get(i);
      switch (param) {
        case Instant instant -> dialect.setInstant(statement, i + 1, instant);
        case Boolean bool -> statement.setBoolean(i + 1, bool);
        case Integer number -> statement.setInt(i + 1, number);
        default -> statement.setString(i + 1, param.toString());
      }
    }
  }

  /**
   * Names and descriptions are limited in characters, which PostgreSQL and MariaDB count as a user
   * does; H2 counts UTF-16 units, so there text with many characters beyond U+FFFF can be within
   * the limit and still not fit its column. Said as bad input, before the database refuses it.
   */
  private void checkFitsColumns(ScheduleSpec spec) {
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

  private RuntimeException duplicateNameOr(StoreException e, String name) {
    if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
      return new ConflictException(
          "name", "a schedule named '" + name + "' already exists in this tenant");
    }
    return e;
  }

  static String escapeLike(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
