package dev.chime.store;

import dev.chime.alert.Incident;
import dev.chime.alert.RuleKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's alert incidents as the API lists them, in the order they opened: open or closed, of
 * one rule, about one subject (a schedule's id, or a node's for a stalled rule).
 */
public final class IncidentStore {
  private static final String SELECT =
      "SELECT i.id, i.tenant_id, i.rule_id, r.kind, i.subject_id, s.name AS subject_name,"
          + " i.open_key, i.since_at, i.opened_at, i.closed_at, i.last_seen_at, i.seen,"
          + " i.last_run_id, i.last_error FROM alert_incidents i"
          + " JOIN alert_rules r ON r.id = i.rule_id"
          + " LEFT JOIN schedules s ON s.id = i.subject_id WHERE i.tenant_id = ?";

  private final Database db;
  private final Dialect dialect;

  public IncidentStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /** What a listing is narrowed to; an empty field narrows nothing. */
  public record Filter(Incident.State state, Optional<UUID> ruleId, Optional<String> subjectId) {}

  public Page<Incident> list(String tenantId, Filter filter, Optional<String> cursor, int limit) {
    StringBuilder select = new StringBuilder(SELECT);
    List<String> params = new ArrayList<>();
    params.add(tenantId);
    switch (filter.state()) {
      case OPEN -> select.append(" AND i.open_key = 'open'");
      case CLOSED -> select.append(" AND i.open_key IS NULL");
      case ANY -> {}
    }
    filter
        .ruleId()
        .ifPresent(
            rule -> {
              select.append(" AND i.rule_id = ?");
              params.add(rule.toString());
            });
    filter
        .subjectId()
        .ifPresent(
            subject -> {
              select.append(" AND i.subject_id = ?");
              params.add(subject);
            });
    return CreationPages.list(
        db,
        select.toString(),
        params,
        "i.opened_at",
        "i.id",
        cursor,
        limit,
        this::read,
        Incident::openedAt,
        Incident::id);
  }

  public Optional<Incident> get(String tenantId, UUID id) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(SELECT + " AND i.id = ?")) {
            select.setString(1, tenantId);
            select.setString(2, id.toString());
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? Optional.of(read(rows)) : Optional.<Incident>empty();
            }
          }
        });
  }

  private Incident read(ResultSet rows) throws SQLException {
    String lastRun = rows.getString("last_run_id");
    return new Incident(
        UUID.fromString(rows.getString("id")),
        rows.getString("tenant_id"),
        UUID.fromString(rows.getString("rule_id")),
        RuleKind.fromWire(rows.getString("kind")).orElseThrow(),
        rows.getString("subject_id"),
        Optional.ofNullable(rows.getString("subject_name")),
        rows.getString("open_key") != null,
        dialect.getInstant(rows, "since_at").orElseThrow(),
        dialect.getInstant(rows, "opened_at").orElseThrow(),
        dialect.getInstant(rows, "closed_at"),
        dialect.getInstant(rows, "last_seen_at").orElseThrow(),
        rows.getInt("seen"),
        Optional.ofNullable(lastRun).map(UUID::fromString),
        Optional.ofNullable(rows.getString("last_error")));
  }
}
