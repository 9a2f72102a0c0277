package dev.chime.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class H2StoreTest extends StoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.h2();
  }

  /**
   * Each index led by {@code schedule_id} costs every fire a page of its own that H2 writes out
   * again (V17): only the unique key of a schedule's instants and the foreign key's index may be
   * led by it, and the engine finds a schedule's runs in flight through {@code active_schedule_id},
   * which is empty once a run has ended.
   */
  @Test
  void runsHaveNoIndexOfEndedRunsByScheduleAndRunsInFlightAreReadThroughTheirOwn()
      throws SQLException {
    try (Connection connection = database().dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      List<String> ledBySchedule = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS WHERE TABLE_NAME = 'RUNS'"
                  + " AND ORDINAL_POSITION = 1 AND COLUMN_NAME = 'SCHEDULE_ID'")) {
        while (rows.next()) {
          ledBySchedule.add(rows.getString(1));
        }
      }
      assertThat(ledBySchedule)
          .hasSize(2)
          .anyMatch(name -> name.startsWith("UQ_RUNS_SCHEDULE_INSTANT_ATTEMPT"))
          .anyMatch(name -> name.startsWith("FK_RUNS_SCHEDULE"));

      String plan;
      try (ResultSet rows =
          statement.executeQuery(
              "EXPLAIN SELECT id FROM runs WHERE "
                  + Dialect.H2.inFlightScheduleColumn()
                  + " IN ('a', 'b') AND status IN ('running', 'queued')")) {
        rows.next();
        plan = rows.getString(1);
      }
      assertThat(plan).contains("IX_RUNS_ACTIVE_SCHEDULE");
    }
  }
}
