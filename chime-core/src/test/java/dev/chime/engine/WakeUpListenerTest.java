package dev.chime.engine;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.ScheduleStore;
import dev.chime.testing.PostgresBackends;
import dev.chime.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The listener that wakes a node on PostgreSQL: it hears changes, collapses bursts, reconnects. */
class WakeUpListenerTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void aBurstOfChangesMadeWhileTheNodeIsBusyWakesItOnce() throws InterruptedException {
    DatabaseSettings settings = TestDatabases.postgres();
    try (Database db = Database.open(settings)) {
      CountDownLatch busy = new CountDownLatch(1);
      AtomicInteger woken = new AtomicInteger();
      // the first wake-up (on connecting) keeps the listener busy until the burst is committed
      Runnable onWake =
          () -> {
            if (woken.incrementAndGet() == 1) {
              awaitQuietly(busy);
            }
          };
      try (WakeUpListener listener = new WakeUpListener(db, "busy-node", onWake)) {
        listener.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> woken.get() == 1);

        ScheduleStore schedules = new ScheduleStore(db);
        for (int i = 0; i < 30; i++) {
          schedules.insert(aSchedule().createdAt(T0).build());
        }
        busy.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.notifications() == 30);
        assertThat(woken.get())
            .as("the wake on connecting, then one or two for the burst")
            .isBetween(2, 3);
        assertThat(listener.wakes()).isEqualTo(woken.get());
      }
    }
  }

  @Test
  void aListenerWhoseConnectionTheServerEndsConnectsAgainAndHearsChangesAgain() {
    DatabaseSettings settings = TestDatabases.postgres();
    try (Database db = Database.open(settings)) {
      AtomicInteger woken = new AtomicInteger();
      WakeUpListener listener = new WakeUpListener(db, "killed-node", woken::incrementAndGet);
      try {
        listener.start();
        await().atMost(Duration.ofSeconds(10)).until(listener::isListening);
        assertThat(listener.applicationName()).isEqualTo("chime-listen killed-node");
        List<Integer> killed = PostgresBackends.pids(settings, listener.applicationName());
        assertThat(killed).hasSize(1);

        assertThat(PostgresBackends.terminate(settings, listener.applicationName())).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.connections() == 2);
        await().until(listener::isListening);
        assertThat(PostgresBackends.pids(settings, listener.applicationName()))
            .hasSize(1)
            .doesNotContainAnyElementsOf(killed);
        // each connection woke the node once, for what changed while nobody listened
        await().until(() -> woken.get() == 2);

        new ScheduleStore(db).insert(aSchedule().createdAt(T0).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.notifications() == 1);
        await().until(() -> woken.get() == 3);
      } finally {
        long t0 = System.nanoTime();
        listener.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
            .as("close does not wait for the listener's quiet check")
            .isLessThan(3_000);
      }
      assertThat(listener.isListening()).isFalse();
    }
  }

  @Test
  void onOtherDatabasesTheListenerDoesNothing() {
    try (Database db = Database.open(TestDatabases.h2());
        WakeUpListener listener = new WakeUpListener(db, "h2-node", () -> {})) {
      listener.start();
      assertThat(listener.isListening()).isFalse();
      assertThat(listener.connections()).isZero();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
