package dev.chime.store;

import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.TargetJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Check-ins: the token a check-in schedule is pinged with (kept as its hash), and what a ping does
 * to the schedule's run waiting for it. A ping that comes before its instant is kept, and the
 * instant's run takes it as its success when it starts.
 */
public final class CheckinStore {
  private final Database db;
  private final Dialect dialect;
  private final Finisher finisher;

  public CheckinStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
    this.finisher = new Finisher(dialect);
  }

  /** What issuing a token did. */
  public enum Issued {
    ISSUED,
    NO_SCHEDULE,
    NOT_A_CHECKIN
  }

  /**
   * Gives the tenant's check-in schedule a new token (its hash); the one it had before stops
   * working. Audited as {@code schedule.checkin-token}.
   */
  public Issued issue(
      String tenantId, UUID scheduleId, String tokenHash, Actor actor, Instant now) {
    return db.inTransaction(
        connection -> {
          String target;
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT target_json FROM schedules WHERE id = ? AND tenant_id = ?"
                      + dialect.forRowUpdate())) {
            select.setString(1, scheduleId.toString());
            select.setString(2, tenantId);
            try (ResultSet rows = select.executeQuery()) {
              if (!rows.next()) {
                return Issued.NO_SCHEDULE;
              }
              target = rows.getString(1);
            }
          }
          if (!TargetJson.stored(target).isCheckin()) {
            return Issued.NOT_A_CHECKIN;
          }
          try (PreparedStatement delete =
              connection.prepareStatement("DELETE FROM checkin_tokens WHERE schedule_id = ?")) {
            delete.setString(1, scheduleId.toString());
            delete.executeUpdate();
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO checkin_tokens (schedule_id, tenant_id, token_hash, created_at)"
                      + " VALUES (?,?,?,?)")) {
            insert.setString(1, scheduleId.toString());
            insert.setString(2, tenantId);
            insert.setString(3, tokenHash);
            dialect.setInstant(insert, 4, now);
            insert.executeUpdate();
          }
          AuditStore.insert(
              connection,
              dialect,
              AuditEvent.of(
                  tenantId,
                  now,
                  actor,
                  "schedule.checkin-token",
                  "schedule",
                  scheduleId.toString(),
                  Optional.empty(),
                  Optional.of("{\"checkin_token\":\"issued\"}")));
          return Issued.ISSUED;
        });
  }

  /** What a ping says: the job succeeded, started, or failed. */
  public enum Ping {
    SUCCESS,
    START,
    FAIL
  }

  /**
   * What a ping did: {@code runId} of the waiting run it closed or started, or empty when no run
   * was waiting (a success is then kept for the next instant); {@code known} false for a token that
   * is not one.
   */
  public record Pinged(boolean known, Optional<UUID> runId) {
    static final Pinged UNKNOWN = new Pinged(false, Optional.empty());
  }

  /** Applies a ping with the token whose hash is {@code tokenHash}. */
  public Pinged ping(String tokenHash, Ping ping, Optional<String> message, Instant now) {
    return db.inTransaction(
        connection -> {
          UUID schedule;
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT schedule_id FROM checkin_tokens WHERE token_hash = ?")) {
            select.setString(1, tokenHash);
            try (ResultSet rows = select.executeQuery()) {
              if (!rows.next()) {
                return Pinged.UNKNOWN;
              }
              schedule = UUID.fromString(rows.getString(1));
            }
          }
          // one lock order everywhere: the schedule's row before its run's
          Finisher.lockSchedules(connection, dialect, java.util.List.of(schedule));
          Optional<Waiting> waiting = waiting(connection, schedule);
          if (waiting.isEmpty()) {
            if (ping == Ping.SUCCESS) {
              try (PreparedStatement early =
                  connection.prepareStatement(
                      "UPDATE checkin_tokens SET early_ping_at = ? WHERE schedule_id = ?")) {
                dialect.setInstant(early, 1, now);
                early.setString(2, schedule.toString());
                early.executeUpdate();
              }
            }
            return new Pinged(true, Optional.empty());
          }
          Waiting run = waiting.get();
          if (ping == Ping.START) {
            try (PreparedStatement start =
                connection.prepareStatement(
                    "UPDATE runs SET started_at = ? WHERE id = ? AND status = 'running'"
                        + Statements.NEAR_INSTANT)) {
              dialect.setInstant(start, 1, now);
              start.setString(2, run.ref().runId().toString());
              Statements.bindNear(dialect, start, 3, run.ref().scheduledAt());
              start.executeUpdate();
            }
            return new Pinged(true, Optional.of(run.ref().runId()));
          }
          long durationMs =
              run.startedAt()
                  .map(at -> Math.max(0, Duration.between(at, now).toMillis()))
                  .orElse(0L);
          RunOutcome outcome =
              ping == Ping.SUCCESS
                  ? new RunOutcome(
                      RunStatus.SUCCESS,
                      OptionalInt.empty(),
                      Optional.empty(),
                      Optional.empty(),
                      message,
                      durationMs)
                  : RunOutcome.failure(
                      RunStatus.FAILED,
                      OptionalInt.empty(),
                      "checkin_failure",
                      message.orElse("the job pinged /fail"),
                      null,
                      durationMs);
          finisher.finish(connection, run.ref(), outcome, now);
          return new Pinged(true, Optional.of(run.ref().runId()));
        });
  }

  private record Waiting(RunRef ref, Optional<Instant> startedAt) {}

  /** The schedule's run waiting for a ping: its latest running one. */
  private Optional<Waiting> waiting(Connection connection, UUID schedule) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + Finisher.CLOSING_COLUMNS
                + ", r.started_at FROM runs r JOIN schedules s ON s.id = r.schedule_id"
                + " WHERE r."
                + dialect.inFlightScheduleColumn()
                + " = ? AND r.status = 'running'"
                + " ORDER BY r.scheduled_at DESC"
                + Statements.limit(1))) {
      select.setString(1, schedule.toString());
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Waiting(finisher.readRunRef(rows), dialect.getInstant(rows, "started_at")));
      }
    }
  }

  /**
   * Takes the early ping of a schedule if one came at or after {@code since}: true once, for the
   * run that starts now.
   */
  public boolean takeEarlyPing(UUID scheduleId, Instant since) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement take =
              connection.prepareStatement(
                  "UPDATE checkin_tokens SET early_ping_at = NULL WHERE schedule_id = ?"
                      + " AND early_ping_at >= ?")) {
            take.setString(1, scheduleId.toString());
            dialect.setInstant(take, 2, since);
            return take.executeUpdate() == 1;
          }
        });
  }
}
