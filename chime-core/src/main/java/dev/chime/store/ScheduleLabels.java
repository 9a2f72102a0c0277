package dev.chime.store;

import dev.chime.schedule.LabelSelector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code schedule_labels} rows that mirror each schedule's labels, and the conditions a label
 * selector adds to a listing of schedules.
 */
final class ScheduleLabels {
  private ScheduleLabels() {}

  /** Makes the rows of a schedule's labels be {@code labels}, in the caller's transaction. */
  static void write(
      Connection connection,
      String tenantId,
      UUID scheduleId,
      Map<String, String> labels,
      boolean fresh)
      throws SQLException {
    if (!fresh) {
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM schedule_labels WHERE schedule_id = ?")) {
        delete.setString(1, scheduleId.toString());
        delete.executeUpdate();
      }
    }
    if (labels.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO schedule_labels (schedule_id, tenant_id, label_key, label_value)"
                + " VALUES (?,?,?,?)")) {
      for (Map.Entry<String, String> label : labels.entrySet()) {
        insert.setString(1, scheduleId.toString());
        insert.setString(2, tenantId);
        insert.setString(3, label.getKey());
        insert.setString(4, label.getValue());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /**
   * Appends to a query of {@code schedules} one condition per term of {@code selector}, and their
   * parameters to {@code params}. A term {@code key!=value} also matches schedules without the key.
   */
  static void where(LabelSelector selector, StringBuilder sql, List<Object> params) {
    for (LabelSelector.Term term : selector.terms()) {
      boolean negated =
          term.op() == LabelSelector.Op.NOT_EQUALS || term.op() == LabelSelector.Op.NOT_EXISTS;
      boolean withValue =
          term.op() == LabelSelector.Op.EQUALS || term.op() == LabelSelector.Op.NOT_EQUALS;
      sql.append(negated ? " AND NOT EXISTS" : " AND EXISTS")
          .append(
              " (SELECT 1 FROM schedule_labels l WHERE l.schedule_id = schedules.id"
                  + " AND l.label_key = ?")
          .append(withValue ? " AND l.label_value = ?)" : ")");
      params.add(term.key());
      if (withValue) {
        params.add(term.value());
      }
    }
  }
}
