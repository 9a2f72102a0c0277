package dev.chime.store;

import dev.chime.ConflictException;
import dev.chime.QuotaExceededException;
import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import dev.chime.schedule.Labels;
import dev.chime.schedule.PolicyJson;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleJson;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.schedule.TargetJson;
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
  private final Database db;
  private final Dialect dialect;

  public ScheduleStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /**
   * Who writes, for the audit trail, and the most schedules the tenant may have enabled: a write
   * that switches one on beyond that is refused ({@link QuotaExceededException}).
   */
  public record Writer(Actor actor, long maxEnabledSchedules) {
    /** Chime itself, or code with no caller: audited as "chime", no limit. */
    public static final Writer CHIME = new Writer(Actor.CHIME, Long.MAX_VALUE);

    public Writer {
      java.util.Objects.requireNonNull(actor, "actor");
    }
  }

  public void insert(Schedule schedule) {
    insert(schedule, Writer.CHIME);
  }

  /** Inserts a schedule and its audit event ({@code schedule.create}) in one transaction. */
  public void insert(Schedule schedule, Writer writer) {
    ScheduleRows.checkFitsColumns(dialect, schedule.spec());
    try {
      db.inTransaction(
          connection -> {
            if (schedule.spec().enabled()) {
              checkEnabledQuota(connection, schedule.tenantId(), writer);
            }
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO schedules ("
                        + ScheduleRows.COLUMNS
                        + ", trigger_type, lease_epoch) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)")) {
              ScheduleRows.bindAll(insert, schedule, dialect);
              insert.setString(18, schedule.spec().trigger().type());
              insert.executeUpdate();
            }
            ScheduleLabels.write(
                connection, schedule.tenantId(), schedule.id(), schedule.spec().labels(), true);
            audit(
                connection,
                schedule.tenantId(),
                schedule.createdAt(),
                writer,
                "schedule.create",
                schedule.id(),
                Optional.empty(),
                Optional.of(schedule));
            WakeUps.announce(connection, dialect, WakeUps.Change.SCHEDULE);
            return null;
          });
    } catch (StoreException e) {
      throw duplicateNameOr(e, schedule.spec().name());
    }
  }

  /**
   * Refuses to switch on one more schedule of a tenant that has its limit enabled. The tenant's
   * lock makes the count exact while two requests (on two nodes) switch schedules on at once.
   */
  private void checkEnabledQuota(Connection connection, String tenantId, Writer writer)
      throws SQLException {
    if (writer.maxEnabledSchedules() == Long.MAX_VALUE) {
      return;
    }
    try (PreparedStatement lock = connection.prepareStatement(dialect.lockTenantSchedules())) {
      lock.setString(1, tenantId);
      try (ResultSet rows = lock.executeQuery()) {
        while (rows.next()) {
          // reading takes the lock
        }
      }
    }
    long enabled = TenantStore.enabledSchedules(connection, tenantId);
    if (enabled >= writer.maxEnabledSchedules()) {
      throw new QuotaExceededException(
          "enabled",
          "max_enabled_schedules",
          writer.maxEnabledSchedules(),
          "the tenant has "
              + enabled
              + " schedules enabled, its limit (max_enabled_schedules) is "
              + writer.maxEnabledSchedules()
              + "; disable or delete one first, or ask an operator to raise the limit");
    }
  }

  private void audit(
      Connection connection,
      String tenantId,
      Instant at,
      Writer writer,
      String action,
      UUID id,
      Optional<Schedule> before,
      Optional<Schedule> after)
      throws SQLException {
    AuditStore.insert(
        connection,
        dialect,
        AuditEvent.of(
            tenantId,
            at,
            writer.actor(),
            action,
            "schedule",
            id.toString(),
            before.map(ScheduleStore::describe),
            after.map(ScheduleStore::describe)));
  }

  /** A schedule as its audit events keep it: the API's view of its spec, secrets masked. */
  static String describe(Schedule schedule) {
    return ScheduleJson.write(ScheduleJson.specJson(schedule.spec()));
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
                        + ScheduleRows.COLUMNS
                        + ", trigger_type, lease_epoch) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)")) {
              for (Schedule schedule : chunk) {
                ScheduleRows.bindAll(insert, schedule, dialect);
                insert.setString(18, schedule.spec().trigger().type());
                insert.addBatch();
              }
              insert.executeBatch();
            }
            for (Schedule schedule : chunk) {
              ScheduleLabels.write(
                  connection, schedule.tenantId(), schedule.id(), schedule.spec().labels(), true);
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
    return update(tenantId, id, now, change, Writer.CHIME, "schedule.update");
  }

  /**
   * {@link #update} with its audit event: {@code action} (e.g. {@code schedule.update}, {@code
   * schedule.disable}) by the writer, with the schedule before and after.
   */
  public Optional<Schedule> update(
      String tenantId,
      UUID id,
      Instant now,
      Function<Schedule, Change> change,
      Writer writer,
      String action) {
    String[] attemptedName = {""};
    try {
      return db.inTransaction(
          connection -> {
            Optional<Schedule> updated =
                updateIn(connection, tenantId, id, now, change, writer, action, attemptedName);
            if (updated.isPresent()) {
              WakeUps.announce(connection, dialect, WakeUps.Change.SCHEDULE);
            }
            return updated;
          });
    } catch (StoreException e) {
      throw duplicateNameOr(e, attemptedName[0]);
    }
  }

  /** What a bulk action did to one schedule. */
  public enum Done {
    DONE,
    /** It was already so: nothing written, no audit event. */
    UNCHANGED,
    NOT_FOUND,
    /** The change would break a rule or a limit; {@link ItemResult#detail} says which. */
    REFUSED
  }

  public record ItemResult(UUID id, Done done, String detail) {}

  /**
   * Changes many schedules in one transaction, in id order (the one lock order), each as {@link
   * #update} would; a change that breaks a rule or a limit refuses that schedule alone. A change
   * that leaves a schedule as it was writes nothing.
   */
  public List<ItemResult> updateEach(
      String tenantId,
      List<UUID> ids,
      Instant now,
      Function<Schedule, Change> change,
      Writer writer,
      String action) {
    return db.inTransaction(
        connection -> {
          List<ItemResult> results = new ArrayList<>();
          boolean changed = false;
          for (UUID id : Statements.inIdOrder(ids, x -> x)) {
            try {
              Optional<Schedule> updated =
                  updateIn(
                      connection,
                      tenantId,
                      id,
                      now,
                      schedule -> {
                        Change next = change.apply(schedule);
                        if (next.spec().equals(schedule.spec())) {
                          throw new Unchanged();
                        }
                        return next;
                      },
                      writer,
                      action,
                      new String[] {""});
              results.add(new ItemResult(id, updated.isPresent() ? Done.DONE : Done.NOT_FOUND, ""));
              changed |= updated.isPresent();
            } catch (Unchanged e) {
              results.add(new ItemResult(id, Done.UNCHANGED, ""));
            } catch (dev.chime.ChimeException e) {
              results.add(new ItemResult(id, Done.REFUSED, e.getMessage()));
            }
          }
          if (changed) {
            WakeUps.announce(connection, dialect, WakeUps.Change.SCHEDULE);
          }
          return results;
        });
  }

  /** Thrown by a bulk change that finds nothing to change; no write has happened. */
  private static final class Unchanged extends RuntimeException {
    Unchanged() {
      super(null, null, false, false);
    }
  }

  /** Deletes many schedules in one transaction, in id order, each with its audit event. */
  public List<ItemResult> deleteEach(String tenantId, List<UUID> ids, Writer writer, Instant now) {
    return db.inTransaction(
        connection -> {
          List<ItemResult> results = new ArrayList<>();
          for (UUID id : Statements.inIdOrder(ids, x -> x)) {
            results.add(
                new ItemResult(
                    id,
                    deleteIn(connection, tenantId, id, writer, now) ? Done.DONE : Done.NOT_FOUND,
                    ""));
          }
          return results;
        });
  }

  /** The ids of a tenant's schedules a query selects, oldest first, at most {@code max} + 1. */
  public List<UUID> select(String tenantId, ScheduleQuery query, int max) {
    List<UUID> ids = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Schedule> page =
          list(
              tenantId,
              new ScheduleQuery(
                  query.enabled(),
                  query.nameContains(),
                  query.textContains(),
                  query.labels(),
                  query.lastStatus(),
                  cursor,
                  ScheduleQuery.MAX_LIMIT));
      page.items().forEach(schedule -> ids.add(schedule.id()));
      cursor = page.nextCursor();
    } while (cursor.isPresent() && ids.size() <= max);
    return ids.size() > max + 1 ? ids.subList(0, max + 1) : ids;
  }

  private Optional<Schedule> updateIn(
      Connection connection,
      String tenantId,
      UUID id,
      Instant now,
      Function<Schedule, Change> change,
      Writer writer,
      String action,
      String[] attemptedName)
      throws SQLException {
    Optional<Schedule> current = find(connection, tenantId, id, true);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    Change next = change.apply(current.get());
    ScheduleRows.checkFitsColumns(dialect, next.spec());
    if (next.spec().enabled() && !current.get().spec().enabled()) {
      checkEnabledQuota(connection, tenantId, writer);
    }
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
                + " disabled_reason = ?, labels_json = ?, lease_owner = NULL,"
                + " lease_until = NULL, lease_epoch = lease_epoch + 1,"
                + " definition_version = definition_version + 1"
                + " WHERE id = ? AND tenant_id = ?")) {
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
      statement.setString(13, ScheduleJson.write(Labels.write(spec.labels())));
      statement.setString(14, id.toString());
      statement.setString(15, tenantId);
      statement.executeUpdate();
    }
    if (!updated.spec().labels().equals(current.get().spec().labels())) {
      ScheduleLabels.write(connection, tenantId, id, updated.spec().labels(), false);
    }
    if (current.get().spec().enabled() && !updated.spec().enabled()) {
      Finisher.cancelQueued(connection, dialect, List.of(id), now, "the schedule was disabled");
    }
    audit(connection, tenantId, now, writer, action, id, current, Optional.of(updated));
    return Optional.of(updated);
  }

  /** Deletes a schedule and its runs, with its audit event; false when there was none. */
  public boolean delete(String tenantId, UUID id, Writer writer, Instant now) {
    return db.inTransaction(connection -> deleteIn(connection, tenantId, id, writer, now));
  }

  private boolean deleteIn(
      Connection connection, String tenantId, UUID id, Writer writer, Instant now)
      throws SQLException {
    Optional<Schedule> current = find(connection, tenantId, id, true);
    if (current.isEmpty()) {
      return false;
    }
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM schedules WHERE id = ? AND tenant_id = ?")) {
      statement.setString(1, id.toString());
      statement.setString(2, tenantId);
      if (statement.executeUpdate() != 1) {
        return false;
      }
    }
    audit(connection, tenantId, now, writer, "schedule.delete", id, current, Optional.empty());
    return true;
  }

  public Page<Schedule> list(String tenantId, ScheduleQuery query) {
    StringBuilder sql =
        new StringBuilder("SELECT " + ScheduleRows.COLUMNS + " FROM schedules WHERE tenant_id = ?");
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
    query
        .textContains()
        .ifPresent(
            text -> {
              String pattern = "%" + escapeLike(text.toLowerCase(Locale.ROOT)) + "%";
              sql.append(" AND (")
                  .append(dialect.containsIgnoreCase("name"))
                  .append(" OR ")
                  .append(dialect.containsIgnoreCase("description"))
                  .append(")");
              params.add(pattern);
              params.add(pattern);
            });
    query
        .lastStatus()
        .ifPresent(
            status -> {
              if (status.equals(ScheduleQuery.NO_STATUS)) {
                sql.append(" AND last_status IS NULL");
              } else {
                sql.append(" AND last_status = ?");
                params.add(status);
              }
            });
    query.labels().ifPresent(selector -> ScheduleLabels.where(selector, sql, params));
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
                + ScheduleRows.COLUMNS
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
        result.add(ScheduleRows.read(rows, dialect));
      }
    }
    return result;
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
