package dev.chime.engine;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.schedule.Schedule;
import dev.chime.store.Database;
import dev.chime.store.ScheduleStore;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chime's own vacuum of its busiest tables, on a real PostgreSQL. */
class TableVacuumTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void deadScheduleRowsPastTheThresholdAreVacuumedAndFewAreLeftAlone() throws SQLException {
    try (Database db = Database.open(TestDatabases.postgres())) {
      List<Schedule> schedules = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        schedules.add(aSchedule().named("s-" + i).createdAt(T0).build());
      }
      new ScheduleStore(db).insertAll(schedules);
      TableVacuum vacuum = TableVacuum.create(db, TableVacuum.Mode.ON, "test").orElseThrow();

      touchEverySchedule(db, 1);
      assertThat(vacuum.runOnce().vacuumed()).doesNotContain("schedules");

      touchEverySchedule(db, 3);
      // the server publishes its dead-row counts within about a second
      await().atMost(Duration.ofSeconds(10)).until(() -> deadRows(db) > TableVacuum.MIN_DEAD + 100);
      assertThat(vacuum.runOnce().vacuumed()).containsExactly("schedules");
      await().atMost(Duration.ofSeconds(10)).until(() -> deadRows(db) == 0);
      assertThat(vacuum.runOnce().vacuumed()).isEmpty();
    }
  }

  @Test
  void statisticsAreRenewedWhenATenthOfTheRowsChangedAndAtMostOnceAMinute() throws SQLException {
    try (Database db = Database.open(TestDatabases.postgres())) {
      List<Schedule> schedules = new ArrayList<>();
      for (int i = 0; i < 3_000; i++) {
        schedules.add(aSchedule().named("a-" + i).createdAt(T0).build());
      }
      new ScheduleStore(db).insertAll(schedules);
      SettableClock clock = new SettableClock(T0);
      TableVacuum vacuum = TableVacuum.create(db, TableVacuum.Mode.ON, "test", clock).orElseThrow();
      await().atMost(Duration.ofSeconds(10)).until(() -> changedRows(db) >= 3_000);
      assertThat(vacuum.runOnce().analyzed()).contains("schedules");
      await().atMost(Duration.ofSeconds(10)).until(() -> changedRows(db) == 0);

      // changed again within the minute: vacuumed, not analyzed again
      touchEverySchedule(db, 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> changedRows(db) >= 6_000);
      TableVacuum.Pass soon = vacuum.runOnce();
      assertThat(soon.vacuumed()).contains("schedules");
      assertThat(soon.analyzed()).doesNotContain("schedules");

      clock.advance(TableVacuum.ANALYZE_EVERY);
      assertThat(vacuum.runOnce().analyzed()).contains("schedules");
      await().atMost(Duration.ofSeconds(10)).until(() -> changedRows(db) == 0);

      // grown by more than half within the minute: analyzed again
      List<Schedule> more = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        more.add(aSchedule().named("b-" + i).createdAt(T0).build());
      }
      new ScheduleStore(db).insertAll(more);
      await().atMost(Duration.ofSeconds(10)).until(() -> changedRows(db) >= 5_000);
      assertThat(vacuum.runOnce().analyzed()).contains("schedules");
    }
  }

  @Test
  void offAndOtherDatabasesMakeNoKeeper() {
    try (Database pg = Database.open(TestDatabases.postgres());
        Database h2 = Database.open(TestDatabases.h2())) {
      assertThat(TableVacuum.create(pg, TableVacuum.Mode.OFF, "test")).isEmpty();
      assertThat(TableVacuum.create(h2, TableVacuum.Mode.ON, "test")).isEmpty();
    }
  }

  @Test
  void modesAreReadFromTheirNames() {
    assertThat(TableVacuum.Mode.parse(" Auto ")).isEqualTo(TableVacuum.Mode.AUTO);
    assertThat(TableVacuum.Mode.parse("off")).isEqualTo(TableVacuum.Mode.OFF);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TableVacuum.Mode.parse("sometimes"))
        .hasMessageContaining("auto, on or off");
  }

  private static void touchEverySchedule(Database db, int times) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (int i = 0; i < times; i++) {
        statement.executeUpdate(
            "UPDATE schedules SET consecutive_failures = consecutive_failures + 1");
      }
    }
  }

  private static long changedRows(Database db) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT n_mod_since_analyze FROM pg_stat_user_tables"
                    + " WHERE relid = 'schedules'::regclass")) {
      row.next();
      return row.getLong(1);
    }
  }

  private static long deadRows(Database db) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = 'schedules'::regclass")) {
      row.next();
      return row.getLong(1);
    }
  }
}
