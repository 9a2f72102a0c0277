package dev.chime.store;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chime.ConflictException;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.schedule.Schedule;
import dev.chime.testing.PostgresBackends;
import dev.chime.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * On PostgreSQL every change that can make work due sends one wake-up, in its own transaction: a
 * committed change is heard by a listening node, a rolled-back one is not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresWakeUpChannelTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private DatabaseSettings settings;
  private Database db;

  @BeforeAll
  void open() {
    settings = TestDatabases.postgres();
    db = Database.open(settings);
  }

  @AfterAll
  void close() {
    db.close();
  }

  @Test
  void everyCommittedChangeOfAScheduleOrAQueuedRunWakesAndARolledBackOneDoesNot() {
    ScheduleStore schedules = new ScheduleStore(db);
    RunStore runs = new RunStore(db);
    try (WakeUpChannel channel = WakeUpChannel.open(db, "changes")) {
      AtomicInteger heard = new AtomicInteger();
      Schedule schedule = aSchedule().named("woken").createdAt(T0).build();

      schedules.insert(schedule);
      assertThatThrownBy(() -> schedules.insert(aSchedule().named("woken").createdAt(T0).build()))
          .isInstanceOf(ConflictException.class);
      schedules.update(
          "default",
          schedule.id(),
          T0,
          current ->
              new ScheduleStore.Change(
                  current.spec().withEnabled(false), java.util.Optional.empty(), current.health()));
      Run now = Run.queued("default", schedule.id(), "key-1", 1, RunOrigin.MANUAL, T0, T0, T0);
      assertThat(runs.insertQueued(now)).isTrue();
      runs.cancel("default", now.id(), T0);
      runs.retry("default", now.id(), T0);
      schedules.delete(
          "default",
          schedule.id(),
          ScheduleStore.Writer.CHIME,
          Instant.parse("2026-01-01T00:00:00Z"));

      // insert, update, run-now and retry: four; a fifth, sent by hand, comes after them all, so
      // a wake-up of the rolled-back insert (or of the cancel or the delete) would make six
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.addAndGet(drain(channel)) >= 4);
      notifyByHand();
      await().atMost(Duration.ofSeconds(10)).until(() -> heard.addAndGet(drain(channel)) >= 5);
      assertThat(heard.get()).isEqualTo(5);
    }
  }

  @Test
  void notificationsThatArrivedTogetherAreReadTogether() {
    try (WakeUpChannel channel = WakeUpChannel.open(db, "burst")) {
      for (int i = 0; i < 50; i++) {
        notifyByHand();
      }
      int total = 0;
      int reads = 0;
      while (total < 50 && reads < 50) {
        int batch = channel.await(Duration.ofSeconds(5));
        total += batch;
        reads += batch > 0 ? 1 : 0;
      }
      assertThat(total).isEqualTo(50);
      assertThat(reads).as("reads that found notifications").isLessThanOrEqualTo(2);
    }
  }

  @Test
  void theChannelNamesItselfAndFailsWhenTheServerEndsIt() {
    try (WakeUpChannel channel = WakeUpChannel.open(db, "named")) {
      assertThat(PostgresBackends.terminate(settings, WakeUpChannel.applicationName("named")))
          .isEqualTo(1);

      assertThatThrownBy(() -> channel.await(Duration.ofSeconds(10)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("wake-up connection failed");
    }
  }

  @Test
  void onlyPostgresqlCanWakeNodes() {
    try (Database h2 = Database.open(TestDatabases.h2())) {
      assertThat(WakeUpChannel.supported(h2)).isFalse();
    }
    assertThat(WakeUpChannel.supported(db)).isTrue();
  }

  private static int drain(WakeUpChannel channel) {
    return channel.await(Duration.ofMillis(200));
  }

  private void notifyByHand() {
    try (Connection connection =
            DriverManager.getConnection(settings.url(), settings.user(), settings.password());
        Statement statement = connection.createStatement()) {
      statement.execute("NOTIFY " + WakeUps.CHANNEL + ", 'by-hand'");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
