package dev.chime.bench;

import dev.chime.store.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The history {@link HistoryBench} measures, made by the database itself in one statement per
 * table: {@code schedules} schedules, each with {@code runs / schedules} runs spread evenly over
 * the last 30 days (one in fifty failed, the rest succeeded), the newest run of two schedules in
 * five still running and of one in five queued and due. Every schedule is due now. The runs'
 * indexes and keys are dropped while the rows go in and built again after, as a restore would.
 */
final class HistoryData {
  private HistoryData() {}

  static void fill(Database db, int schedules, int runs) throws SQLException {
    int perSchedule = Math.max(1, runs / schedules);
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      statement.execute("SET maintenance_work_mem = '512MB'");
      statement.executeUpdate(
          "INSERT INTO schedules (id, tenant_id, name, description, enabled, trigger_type,"
              + " trigger_json, target_json, payload_json, next_fire_at, lease_epoch, created_at,"
              + " updated_at)"
              + " SELECT md5('historybench-' || g)::uuid::text, 'default', 'historybench-' || g,"
              + " '', TRUE, 'interval', '{\"type\":\"interval\",\"seconds\":1296}',"
              + " '{\"type\":\"http\",\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/\"}',"
              + " 'null', now() - interval '1 second' * (g % 60), 0, now() - interval '31 days',"
              + " now() - interval '31 days' FROM generate_series(1, "
              + schedules
              + ") g");
      List<String> keys = definitions(statement, "runs_constraints");
      List<String> indexes = definitions(statement, "runs_indexes");
      for (String drop : drops(statement)) {
        statement.execute(drop);
      }
      statement.executeUpdate(
          "INSERT INTO runs (id, tenant_id, schedule_id, run_key, attempt, origin, status,"
              + " scheduled_at, started_at, finished_at, duration_ms, http_status, error_code,"
              + " trace_id, lease_owner, lease_epoch, created_at, due_at, deadline_at)"
              + " SELECT gen_random_uuid()::text, 'default', s.id,"
              + " s.id || '@' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
              + " 1, 'schedule', st, t, CASE WHEN st = 'queued' THEN NULL ELSE t END,"
              + " CASE WHEN st IN ('queued', 'running') THEN NULL ELSE t + interval '120 ms' END,"
              + " CASE WHEN st IN ('queued', 'running') THEN NULL ELSE 120 END,"
              + " CASE st WHEN 'failed' THEN 500 WHEN 'success' THEN 200 END,"
              + " CASE st WHEN 'failed' THEN 'http_status' END, md5(s.id || i),"
              + " CASE st WHEN 'running' THEN 'historybench-node' END, 0, t,"
              + " CASE st WHEN 'queued' THEN now() - interval '1 second' END,"
              + " CASE st WHEN 'running' THEN now() + interval '1 hour' END"
              + " FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM schedules) s"
              + " CROSS JOIN generate_series(1, "
              + perSchedule
              + ") i CROSS JOIN LATERAL (SELECT date_trunc('second', now() - interval '30 days'"
              + " + interval '30 days' * (i - 1 + s.n::float8 / "
              + schedules
              + ") / "
              + perSchedule
              + ") AS t, CASE WHEN i = "
              + perSchedule
              + " AND s.n % 5 IN (0, 1) THEN 'running' WHEN i = "
              + perSchedule
              + " AND s.n % 5 = 2 THEN 'queued' WHEN i % 50 = 0 THEN 'failed'"
              + " ELSE 'success' END AS st) x");
      for (String key : keys) {
        statement.execute(key);
      }
      for (String index : indexes) {
        statement.execute(index);
      }
      analyze(db);
    }
  }

  /** Vacuums and analyzes both tables, as autovacuum would have by the time history is this big. */
  static void analyze(Database db) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      statement.execute("VACUUM ANALYZE runs");
      statement.execute("VACUUM ANALYZE schedules");
    }
  }

  private static List<String> definitions(Statement statement, String which) throws SQLException {
    String sql =
        which.equals("runs_constraints")
            ? "SELECT 'ALTER TABLE runs ADD CONSTRAINT ' || conname || ' '"
                + " || pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = 'runs'::regclass AND contype IN ('p', 'u', 'f')"
                + " ORDER BY contype DESC"
            : "SELECT indexdef FROM pg_indexes WHERE tablename = 'runs' AND indexname NOT IN"
                + " (SELECT conname FROM pg_constraint WHERE conrelid = 'runs'::regclass)";
    List<String> result = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        result.add(rows.getString(1));
      }
    }
    return result;
  }

  private static List<String> drops(Statement statement) throws SQLException {
    List<String> result = new ArrayList<>();
    try (ResultSet rows =
        statement.executeQuery(
            "SELECT 'ALTER TABLE runs DROP CONSTRAINT ' || conname FROM pg_constraint"
                + " WHERE conrelid = 'runs'::regclass AND contype IN ('p', 'u', 'f')"
                + " UNION ALL SELECT 'DROP INDEX ' || indexname FROM pg_indexes"
                + " WHERE tablename = 'runs' AND indexname NOT IN"
                + " (SELECT conname FROM pg_constraint WHERE conrelid = 'runs'::regclass)")) {
      while (rows.next()) {
        result.add(rows.getString(1));
      }
    }
    return result;
  }
}
