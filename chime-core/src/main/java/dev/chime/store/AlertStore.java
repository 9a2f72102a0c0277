package dev.chime.store;

import dev.chime.alert.AlertRule;
import dev.chime.alert.Delivery;
import dev.chime.alert.RuleKind;
import dev.chime.run.Run;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * What the alert watcher reads and writes: schedules that broke a rule, open incidents and the
 * state of their subjects, runs stuck past their deadline, results to deliver; incidents opened and
 * closed with their deliveries in one transaction, so that a message is never lost nor sent for an
 * incident another node opened or closed first.
 */
public final class AlertStore {
  private static final String RULE_COLUMNS =
      "r.id, r.tenant_id, r.schedule_id, r.kind, r.threshold, r.params_json, r.channel_ids,"
          + " r.enabled, r.created_at, r.updated_at";
  private static final String OPEN = "'open'";

  private final Database db;
  private final Dialect dialect;

  public AlertStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** A schedule whose failure streak reached a rule's threshold, with no incident open for it. */
  public record Streak(AlertRule rule, UUID scheduleId, String scheduleName, int failures) {}

  /**
   * Schedules whose failure streak reached the threshold of a {@code failures} or {@code recovered}
   * rule that has no incident open for them, at most {@code limit}.
   */
  public List<Streak> brokenStreaks(int limit) {
    String where =
        " WHERE r.kind IN ('failures', 'recovered') AND r.enabled = TRUE"
            + " AND s.consecutive_failures >= r.threshold AND NOT EXISTS (SELECT 1 FROM"
            + " alert_incidents i WHERE i.rule_id = r.id AND i.subject_id = s.id AND i.open_key = "
            + OPEN
            + ")";
    String select =
        "SELECT "
            + RULE_COLUMNS
            + ", s.id AS subject_id, s.name AS subject_name, s.consecutive_failures AS failures"
            + " FROM alert_rules r JOIN schedules s ON ";
    return db.inTransaction(
        connection -> {
          List<Streak> streaks = new ArrayList<>();
          // a rule of one schedule finds it by its key; a tenant's rule reads the tenant's
          for (String join :
              List.of(
                  "s.id = r.schedule_id", "s.tenant_id = r.tenant_id AND r.schedule_id IS NULL")) {
            try (PreparedStatement statement =
                connection.prepareStatement(
                    select + join + where + Statements.limit(limit - streaks.size() + 1))) {
              try (ResultSet rows = statement.executeQuery()) {
                while (rows.next() && streaks.size() < limit) {
                  streaks.add(
                      new Streak(
                          AlertRuleStore.read(rows, dialect),
                          UUID.fromString(rows.getString("subject_id")),
                          rows.getString("subject_name"),
                          rows.getInt("failures")));
                }
              }
            }
          }
          return streaks;
        });
  }

  /**
   * An open incident with what its subject looks like now: for a schedule its name, failure streak
   * and last status (empty name when the schedule is gone).
   */
  public record OpenIncident(
      UUID id,
      AlertRule rule,
      String subjectId,
      Instant sinceAt,
      Instant openedAt,
      int seen,
      Optional<String> subjectName,
      int failures,
      Optional<String> lastStatus) {}

  /** The open incidents of rules of these kinds. */
  public List<OpenIncident> openIncidents(List<RuleKind> kinds) {
    String sql =
        "SELECT "
            + RULE_COLUMNS
            + ", i.id AS incident_id, i.subject_id, i.since_at, i.opened_at, i.seen,"
            + " s.name AS subject_name, s.consecutive_failures, s.last_status"
            + " FROM alert_incidents i JOIN alert_rules r ON r.id = i.rule_id"
            + " LEFT JOIN schedules s ON s.id = i.subject_id WHERE i.open_key = "
            + OPEN
            + " AND r.kind IN ("
            + Statements.placeholders(kinds.size())
            + ")";
    return db.inTransaction(
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < kinds.size(); i++) {
              statement.setString(i + 1, kinds.get(i).wireName());
            }
            List<OpenIncident> open = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                open.add(
                    new OpenIncident(
                        UUID.fromString(rows.getString("incident_id")),
                        AlertRuleStore.read(rows, dialect),
                        rows.getString("subject_id"),
                        dialect.getInstant(rows, "since_at").orElseThrow(),
                        dialect.getInstant(rows, "opened_at").orElseThrow(),
                        rows.getInt("seen"),
                        Optional.ofNullable(rows.getString("subject_name")),
                        rows.getInt("consecutive_failures"),
                        Optional.ofNullable(rows.getString("last_status"))));
              }
            }
            return open;
          }
        });
  }

  /** A run still running after its deadline, with the rule that watches its schedule. */
  public record StuckRun(
      AlertRule rule, UUID scheduleId, String scheduleName, UUID runId, Instant deadlineAt) {}

  /** Runs of schedules that {@code stuck} rules watch, still running past their deadline. */
  public List<StuckRun> overdueRuns(Instant now, int limit) {
    String select =
        "SELECT "
            + RULE_COLUMNS
            + ", x.schedule_id AS subject_id, s.name AS subject_name, x.id AS run_id,"
            + " x.deadline_at FROM alert_rules r JOIN runs x ON ";
    String where =
        " JOIN schedules s ON s.id = x.schedule_id WHERE r.kind = 'stuck' AND r.enabled = TRUE"
            + " AND x.status = 'running' AND x.deadline_at < ? ORDER BY x.deadline_at";
    return db.inTransaction(
        connection -> {
          List<StuckRun> stuck = new ArrayList<>();
          for (String join :
              List.of(
                  "x.schedule_id = r.schedule_id",
                  "x.tenant_id = r.tenant_id AND r.schedule_id IS NULL")) {
            try (PreparedStatement statement =
                connection.prepareStatement(select + join + where + Statements.limit(limit))) {
              dialect.setInstant(statement, 1, now);
              try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                  stuck.add(
                      new StuckRun(
                          AlertRuleStore.read(rows, dialect),
                          UUID.fromString(rows.getString("subject_id")),
                          rows.getString("subject_name"),
                          UUID.fromString(rows.getString("run_id")),
                          dialect.getInstant(rows, "deadline_at").orElseThrow()));
                }
              }
            }
          }
          return stuck;
        });
  }

  /** The enabled rules of one kind, whatever their tenant. */
  public List<AlertRule> enabledRules(RuleKind kind) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT "
                      + RULE_COLUMNS
                      + " FROM alert_rules r WHERE r.kind = ? AND r.enabled = TRUE")) {
            select.setString(1, kind.wireName());
            List<AlertRule> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                found.add(AlertRuleStore.read(rows, dialect));
              }
            }
            return found;
          }
        });
  }

  /** The ids of a tenant's enabled schedules, oldest first, at most {@code limit}. */
  public List<UUID> enabledSchedules(String tenantId, int limit) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT id FROM schedules WHERE tenant_id = ? AND enabled = TRUE"
                      + " ORDER BY created_at, id"
                      + Statements.limit(limit))) {
            select.setString(1, tenantId);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                ids.add(UUID.fromString(rows.getString(1)));
              }
            }
            return ids;
          }
        });
  }

  /** A schedule's latest runs, newest first: the last error and the start of a streak. */
  public List<Run> recentRuns(UUID scheduleId, int limit) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT "
                      + RunStore.COLUMNS
                      + " FROM runs WHERE schedule_id = ?"
                      + " ORDER BY scheduled_at DESC, attempt DESC, id DESC"
                      + Statements.limit(limit))) {
            statement.setString(1, scheduleId.toString());
            return RunStore.readAll(statement, dialect);
          }
        });
  }

  /** An incident to open: which rule, about what, since when, the last run and its error. */
  public record NewIncident(
      UUID id,
      AlertRule rule,
      String subjectId,
      Instant sinceAt,
      Instant now,
      int seen,
      Optional<UUID> lastRunId,
      Optional<String> lastError) {}

  /**
   * Opens an incident and writes its deliveries, in one transaction. False when one is open already
   * for the same rule and subject (another node opened it first): nothing is written.
   */
  public boolean open(NewIncident incident, List<Delivery> deliveries) {
    try {
      return db.inTransaction(
          connection -> {
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO alert_incidents (id, tenant_id, rule_id, subject_id, open_key,"
                        + " since_at, opened_at, last_seen_at, seen, last_run_id, last_error)"
                        + " VALUES (?,?,?,?,"
                        + OPEN
                        + ",?,?,?,?,?,?)")) {
              insert.setString(1, incident.id().toString());
              insert.setString(2, incident.rule().tenantId());
              insert.setString(3, incident.rule().id().toString());
              insert.setString(4, incident.subjectId());
              dialect.setInstant(insert, 5, incident.sinceAt());
              dialect.setInstant(insert, 6, incident.now());
              dialect.setInstant(insert, 7, incident.now());
              insert.setInt(8, incident.seen());
              insert.setString(9, incident.lastRunId().map(UUID::toString).orElse(null));
              insert.setString(10, incident.lastError().map(Finisher::clip).orElse(null));
              insert.executeUpdate();
            }
            DeliveryStore.insert(connection, dialect, deliveries);
            return true;
          });
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql)) {
        return false;
      }
      throw e;
    }
  }

  /** Counts one more sighting of an open incident's trouble (grouped, not told again). */
  public void seen(UUID incidentId, int seen, Instant now) {
    db.inTransaction(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE alert_incidents SET seen = ?, last_seen_at = ? WHERE id = ?"
                      + " AND open_key = "
                      + OPEN
                      + " AND seen < ?")) {
            update.setInt(1, seen);
            dialect.setInstant(update, 2, now);
            update.setString(3, incidentId.toString());
            update.setInt(4, seen);
            update.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Closes an open incident and writes its deliveries, in one transaction. False when it was closed
   * already (by another node): nothing is written.
   */
  public boolean close(UUID incidentId, Instant now, List<Delivery> deliveries) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE alert_incidents SET open_key = NULL, closed_at = ? WHERE id = ?"
                      + " AND open_key = "
                      + OPEN)) {
            dialect.setInstant(update, 1, now);
            update.setString(2, incidentId.toString());
            if (update.executeUpdate() == 0) {
              return false;
            }
          }
          DeliveryStore.insert(connection, dialect, deliveries);
          return true;
        });
  }

  /**
   * Delivers the results of runs that ended since a result rule last looked, up to {@code before}:
   * {@code message} makes each one's delivery (empty for a result the rule does not tell). One node
   * at a time works a rule (its row is locked, others pass over it), and the rule's cursor moves in
   * the transaction that writes the deliveries, so each result is told once. Returns how many
   * deliveries were written.
   */
  public int deliverResults(
      Instant before, int limit, Function<ResultToTell, List<Delivery>> message) {
    return db.inTransaction(
        connection -> {
          List<AlertRule> rules = new ArrayList<>();
          List<Instant> cursors = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT "
                      + RULE_COLUMNS
                      + ", r.cursor_at FROM alert_rules r WHERE r.kind = 'result'"
                      + " AND r.enabled = TRUE ORDER BY r.id"
                      + dialect.forUpdateSkipLocked())) {
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                rules.add(AlertRuleStore.read(rows, dialect));
                cursors.add(dialect.getInstant(rows, "cursor_at").orElse(Instant.EPOCH));
              }
            }
          }
          int written = 0;
          for (int i = 0; i < rules.size(); i++) {
            AlertRule rule = rules.get(i);
            List<ResultToTell> ended = endedRuns(connection, rule, cursors.get(i), before, limit);
            if (ended.isEmpty()) {
              continue;
            }
            List<Delivery> deliveries = new ArrayList<>();
            ended.forEach(result -> deliveries.addAll(message.apply(result)));
            DeliveryStore.insert(connection, dialect, deliveries);
            written += deliveries.size();
            try (PreparedStatement cursor =
                connection.prepareStatement("UPDATE alert_rules SET cursor_at = ? WHERE id = ?")) {
              dialect.setInstant(
                  cursor, 1, ended.get(ended.size() - 1).run().finishedAt().orElseThrow());
              cursor.setString(2, rule.id().toString());
              cursor.executeUpdate();
            }
          }
          return written;
        });
  }

  /** A run's end that a result rule is to tell, with its schedule's name. */
  public record ResultToTell(AlertRule rule, Run run, String scheduleName) {}

  private List<ResultToTell> endedRuns(
      Connection connection, AlertRule rule, Instant after, Instant before, int limit)
      throws SQLException {
    List<Run> runs;
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + RunStore.COLUMNS
                + " FROM runs WHERE "
                + (rule.scheduleId().isPresent() ? "schedule_id = ?" : "tenant_id = ?")
                + " AND finished_at > ? AND finished_at <= ?"
                + " AND status IN ('success', 'failed', 'timeout')"
                + " ORDER BY finished_at, id"
                + Statements.limit(limit))) {
      select.setString(1, rule.scheduleId().map(UUID::toString).orElse(rule.tenantId()));
      dialect.setInstant(select, 2, after);
      dialect.setInstant(select, 3, before);
      runs = RunStore.readAll(select, dialect);
    }
    java.util.Map<UUID, String> names = new java.util.HashMap<>();
    List<ResultToTell> ended = new ArrayList<>();
    for (Run run : runs) {
      String name = names.get(run.scheduleId());
      if (name == null) {
        name = scheduleName(connection, run.scheduleId());
        names.put(run.scheduleId(), name);
      }
      ended.add(new ResultToTell(rule, run, name));
    }
    return ended;
  }

  /** A schedule's name; empty when it is gone. */
  public Optional<String> scheduleName(UUID scheduleId) {
    return db.inTransaction(
        connection -> {
          String name = scheduleName(connection, scheduleId);
          return name.isEmpty() ? Optional.<String>empty() : Optional.of(name);
        });
  }

  private static String scheduleName(Connection connection, UUID scheduleId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT name FROM schedules WHERE id = ?")) {
      select.setString(1, scheduleId.toString());
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getString(1) : "";
      }
    }
  }
}
