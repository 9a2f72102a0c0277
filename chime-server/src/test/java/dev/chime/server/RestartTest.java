package dev.chime.server;

import static dev.chime.server.testing.Json.cron;
import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop a node and start another on the same embedded database files: everything is still there, and
 * fires missed while it was down go out once, not once per missed instant.
 */
class RestartTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

  @TempDir Path dataDir;

  @Test
  void afterThreeHoursDownTheWindowCatchesUpAndOlderFiresAreRecordedAsSkipped() {
    DatabaseSettings database =
        new DatabaseSettings(
            "jdbc:h2:file:" + dataDir.resolve("chime") + ";DB_CLOSE_ON_EXIT=FALSE",
            "sa",
            "",
            4,
            Duration.ofSeconds(10));
    SettableClock clock = new SettableClock(T0);
    String intervalId;
    String cronId;
    try (TargetServer target = new TargetServer()) {
      try (ChimeTestNode first = ChimeTestNode.start(database, clock, Map.of())) {
        intervalId =
            first
                .post(
                    "/api/v1/schedules",
                    schedule(
                        "every-minute", interval(60), target(target.url("/interval").toString())))
                .json()
                .get("id")
                .asText();
        cronId =
            first
                .post(
                    "/api/v1/schedules",
                    schedule(
                        "hourly",
                        cron("0 * * * *", "Europe/Paris"),
                        target(target.url("/cron").toString())))
                .json()
                .get("id")
                .asText();
      }
      assertThat(target.received()).isEmpty();

      clock.set(T0.plus(Duration.ofHours(3)).plusSeconds(30));
      try (ChimeTestNode second = ChimeTestNode.start(database, clock, Map.of())) {
        // catch-up sends the missed instants one after another (never overlapping itself), so
        // the clock must move a little while it does
        await()
            .until(
                () -> {
                  clock.advance(Duration.ofMillis(50));
                  second.node().engine().wake();
                  return runs(second, intervalId, "success") == 15
                      && runs(second, cronId, "success") == 1;
                });
        long turns = second.node().engine().loopTurns();
        await().until(() -> second.node().engine().loopTurns() > turns + 3);

        // every minute: 165 instants older than the window are one skipped run; the last 15 fire
        assertThat(target.received("/interval")).hasSize(15);
        assertThat(runs(second, intervalId, "skipped")).isEqualTo(1);
        assertThat(target.received("/interval").get(0).header("Chime-Scheduled-At"))
            .isEqualTo(T0.plusSeconds(166 * 60).toString());
        // hourly: 09:00 and 10:00 UTC are too old, 11:00 is inside the window
        assertThat(target.received("/cron"))
            .singleElement()
            .satisfies(
                r -> assertThat(r.header("Chime-Scheduled-At")).isEqualTo("2026-12-01T11:00:00Z"));
        assertThat(runs(second, cronId, "skipped")).isEqualTo(1);
        JsonNode interval = second.get("/api/v1/schedules/" + intervalId).json();
        assertThat(interval.get("name").asText()).isEqualTo("every-minute");
        assertThat(interval.get("last_fire_at").asText())
            .isEqualTo(T0.plusSeconds(180 * 60).toString());
        // back on its grid of T0 + k minutes, after the restart
        assertThat(interval.get("next_fire_at").asText())
            .isEqualTo(T0.plus(Duration.ofHours(3)).plusSeconds(60).toString());
        JsonNode hourly = second.get("/api/v1/schedules/" + cronId).json();
        assertThat(hourly.get("next_fire_at").asText())
            .isEqualTo(T0.plus(Duration.ofHours(4)).toString());
      }
    }
  }

  private static int runs(ChimeTestNode chime, String id, String status) {
    int count = 0;
    for (JsonNode run :
        chime.get("/api/v1/schedules/" + id + "/runs?limit=500").json().get("items")) {
      if (run.get("status").asText().equals(status)) {
        count++;
      }
    }
    return count;
  }
}
