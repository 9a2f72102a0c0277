package dev.chime.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real engine loop held up by the database: another session locks the schedules table, so the
 * claim waits on it while trivial queries still answer. Readiness fails after the configured stall
 * time ({@code CHIME_HEALTH_ENGINE_STALL_S}), well before the default ten seconds.
 */
class EngineStallReadinessTest {
  @Test
  void readinessFailsOnceTheLoopHasNotTurnedForTheConfiguredTimeAndComesBack() throws Exception {
    DatabaseSettings database = TestDatabases.postgres();
    try (ChimeTestNode chime =
        ChimeTestNode.start(
            database, Clock.systemUTC(), Map.of("CHIME_HEALTH_ENGINE_STALL_S", "2"))) {
      assertThat(chime.get("/health/ready").status()).isEqualTo(200);

      try (Connection locker =
          DriverManager.getConnection(database.url(), database.user(), database.password())) {
        locker.setAutoCommit(false);
        try (Statement statement = locker.createStatement()) {
          statement.execute("LOCK TABLE schedules IN ACCESS EXCLUSIVE MODE");
        }
        long lockedAt = System.nanoTime();

        Response stalled =
            await()
                .atMost(Duration.ofSeconds(8))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> chime.get("/health/ready"), r -> r.status() == 503);
        Duration waited = Duration.ofNanos(System.nanoTime() - lockedAt);

        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(stalled.json().path("checks").path("engine").asText()).isEqualTo("stalled");
        assertThat(stalled.json().path("checks").path("database").asText()).isEqualTo("up");
        assertThat(stalled.json().path("reason").asText())
            .startsWith("the engine loop has not gone round for ");

        locker.rollback();
      }

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> chime.get("/health/ready").status(), status -> status == 200);
    }
  }
}
