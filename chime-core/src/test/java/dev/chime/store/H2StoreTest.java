package dev.chime.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class H2StoreTest extends StoreContractTest {
  @Override
  DatabaseSettings settings() {
    return TestDatabases.h2();
  }

  /**
   * Each index led by {@code schedule_id} costs every fire a page of its own that H2 writes out
   * again (V17, V18): only the foreign key's index may be led by it; the unique key of an instant's
   * attempts leads with the instant and is read by instant and schedule together, and the engine
   * finds a schedule's runs in flight through {@code active_schedule_id}, which is empty once a run
   * has ended.
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
      assertThat(ledBySchedule).singleElement().asString().startsWith("FK_RUNS_SCHEDULE");

      // the engine's look for an instant's runs seeks both leading columns of the unique key
      String lookup;
      try (PreparedStatement explain =
          connection.prepareStatement("EXPLAIN " + EngineStore.keysByInstantSql(1))) {
        Dialect.H2.setInstant(explain, 1, Instant.parse("2026-12-03T10:00:00Z"));
        explain.setString(2, "a");
        try (ResultSet rows = explain.executeQuery()) {
          rows.next();
          lookup = rows.getString(1);
        }
      }
      assertThat(lookup)
          .containsPattern(
              "UQ_RUNS_INSTANT_SCHEDULE_ATTEMPT: SCHEDULED_AT = W\\.SCHEDULED_AT\\s+AND SCHEDULE_ID ="
                  + " W\\.SCHEDULE_ID");

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

  /**
   * The claim of due schedules reads H2's index of them alone (V19): every column of {@code
   * schedules} its statement names, in its result or its condition, is in that index, and the plan
   * goes through it, in the index's order. A column outside it would make H2 fetch each due
   * schedule's row again.
   */
  @Test
  void theClaimOfDueSchedulesNamesOnlyColumnsOfItsIndex() throws SQLException {
    String claim = Claims.claimSelect("");
    try (Connection connection = database().dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      Set<String> tableColumns = new HashSet<>();
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'SCHEDULES'")) {
        while (rows.next()) {
          tableColumns.add(rows.getString(1).toLowerCase(Locale.ROOT));
        }
      }
      Set<String> indexed = new HashSet<>();
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS"
                  + " WHERE TABLE_NAME = 'SCHEDULES' AND INDEX_NAME = 'IX_SCHEDULES_DUE'")) {
        while (rows.next()) {
          indexed.add(rows.getString(1).toLowerCase(Locale.ROOT));
        }
      }
      Set<String> named = new HashSet<>();
      Matcher words = Pattern.compile("[a-z_]+").matcher(claim);
      while (words.find()) {
        if (tableColumns.contains(words.group())) {
          named.add(words.group());
        }
      }
      assertThat(named).contains("id", "next_fire_at", "lease_until", "definition_version");
      assertThat(indexed).containsAll(named);

      String plan;
      try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + claim)) {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        Dialect.H2.setInstant(explain, 1, now);
        Dialect.H2.setInstant(explain, 2, Instant.EPOCH);
        Dialect.H2.setInstant(explain, 3, now);
        explain.setString(4, "node");
        Dialect.H2.setInstant(explain, 5, now);
        explain.setInt(6, 500);
        try (ResultSet rows = explain.executeQuery()) {
          rows.next();
          plan = rows.getString(1);
        }
      }
      assertThat(plan).contains("IX_SCHEDULES_DUE");
      // in the index's order, so that it stops at its limit instead of reading and sorting every
      // due schedule (a backlog of thousands) for each claim
      assertThat(plan).contains("/* index sorted */");
    }
  }

  /**
   * The look ahead for a burst ({@link EngineStore#dueCountReached}) reads H2's index of due
   * schedules in its order too, so it stops at its offset instead of sorting all it finds.
   */
  @Test
  void theLookAheadForABurstReadsTheIndexOfDueSchedulesInItsOrder() throws SQLException {
    String plan;
    try (Connection connection = database().dataSource().getConnection();
        PreparedStatement explain =
            connection.prepareStatement("EXPLAIN " + EngineStore.DUE_COUNT_SELECT)) {
      Instant now = Instant.parse("2026-12-06T10:00:00Z");
      Dialect.H2.setInstant(explain, 1, now);
      Dialect.H2.setInstant(explain, 2, now.plusSeconds(60));
      explain.setInt(3, 999);
      try (ResultSet rows = explain.executeQuery()) {
        rows.next();
        plan = rows.getString(1);
      }
    }
    assertThat(plan).contains("IX_SCHEDULES_DUE").contains("/* index sorted */");
  }

  /**
   * A run's end writes as few index entries as it can (V20): of the indexes of runs, only the one
   * of running runs by tenant and owner holds the status itself, and queued runs are found by
   * {@code queued_due_at}, which is NULL for a run that is running or has ended (so its end leaves
   * that entry as it was). The look for due queued runs seeks that index from a lower bound, never
   * from its start, where every run that is not queued has its NULL entry.
   */
  @Test
  void aRunsEndLeavesTheIndexOfQueuedRunsAloneAndTheirLookStartsPastItsEmptyEntries()
      throws SQLException {
    try (Connection connection = database().dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      List<String> withStatus = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS WHERE TABLE_NAME = 'RUNS'"
                  + " AND COLUMN_NAME = 'STATUS'")) {
        while (rows.next()) {
          withStatus.add(rows.getString(1));
        }
      }
      assertThat(withStatus).containsExactly("IX_RUNS_STATUS_TENANT_OWNER");
      List<String> ofRunning = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS WHERE TABLE_NAME = 'RUNS'"
                  + " AND INDEX_NAME = 'IX_RUNS_STATUS_TENANT_OWNER' ORDER BY ORDINAL_POSITION")) {
        while (rows.next()) {
          ofRunning.add(rows.getString(1));
        }
      }
      assertThat(ofRunning).containsExactly("STATUS", "TENANT_ID", "LEASE_OWNER", "DEADLINE_AT");

      String plan;
      try (PreparedStatement explain =
          connection.prepareStatement("EXPLAIN " + Claims.dueRunsSelect(Dialect.H2, 500))) {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");
        Dialect.H2.setInstant(explain, 1, now);
        Dialect.H2.setInstant(explain, 2, now);
        explain.setString(3, "node");
        Dialect.H2.setInstant(explain, 4, now);
        try (ResultSet rows = explain.executeQuery()) {
          rows.next();
          plan = rows.getString(1);
        }
      }
      assertThat(plan)
          .containsPattern("IX_RUNS_QUEUED_DUE: QUEUED_DUE_AT >= [^\\n]*\\s+AND QUEUED_DUE_AT <=");

      // the close of runs past their deadline reads the running runs' entries alone (their
      // deadline is in the index, so no row is read to test it), not every run
      String expiry;
      try (PreparedStatement explain =
          connection.prepareStatement(
              "EXPLAIN SELECT r.id FROM runs r JOIN schedules s ON s.id = r.schedule_id"
                  + " WHERE r.status = 'running' AND r.deadline_at < ? ORDER BY r.deadline_at"
                  + " FETCH FIRST 500 ROWS ONLY")) {
        Dialect.H2.setInstant(explain, 1, Instant.parse("2026-12-04T10:00:00Z"));
        try (ResultSet rows = explain.executeQuery()) {
          rows.next();
          expiry = rows.getString(1);
        }
      }
      assertThat(expiry)
          .containsPattern("IX_RUNS_STATUS_TENANT_OWNER: STATUS = 'running'\\s+AND DEADLINE_AT < ");
    }
  }
}
