package dev.chime.server;

import static dev.chime.server.testing.Json.cron;
import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.server.testing.ChimeJar;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import dev.chime.testing.TargetServer.Received;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on its embedded H2 database, killed with SIGKILL again and again right after it
 * acknowledged new schedules, sometimes while calls are in flight, and started again on the same
 * data folder each time: nothing acknowledged is lost, no attempt is sent twice as two runs, and
 * the node comes back under the same id.
 */
class KillNineIT {
  private static final int ROUNDS = 4;
  private static final int SCHEDULES_PER_ROUND = 4;
  private static final int SIGKILL_EXIT = 128 + 9;
  private static final Pattern READY =
      Pattern.compile("Chime is ready on \\S+ \\(node (\\S+), started in");

  @TempDir Path dataDir;

  @Test
  void whatWasAcknowledgedBeforeKillNineIsThereAfterARestart() throws Exception {
    try (TargetServer target = new TargetServer()) {
      // calls take a while, so that a kill finds some in flight
      target.answerAlways(new Answer(200, "{\"ok\":true}", Duration.ofMillis(300), false));
      ChimeJar jar =
          new ChimeJar(
              dataDir,
              Map.of(
                  "CHIME_QUOTA_MIN_INTERVAL_S", "1",
                  // Old leases run out in lookahead + 2 s, whether or not a restarted node takes
                  // its own leases back at once; the default (30 s) would not fit the test's time.
                  "CHIME_ENGINE_LEASE_MS", "2000",
                  "CHIME_SHUTDOWN_GRACE_S", "5"));
      Map<String, String> acknowledged = new LinkedHashMap<>();
      List<Long> readyToFirstFireMs = new ArrayList<>();

      for (int round = 0; round <= ROUNDS; round++) {
        long startedAt = System.nanoTime();
        Process process = jar.start();
        boolean last = round == ROUNDS;
        try {
          long readyAt = jar.awaitReady();
          for (Map.Entry<String, String> schedule : acknowledged.entrySet()) {
            HttpResponse<String> read =
                jar.send("GET", "/api/v1/schedules/" + schedule.getKey(), null);
            assertThat(read.statusCode())
                .as("round %d: %s acknowledged before a kill\n%s", round, schedule, jar.log())
                .isEqualTo(200);
          }
          if (!acknowledged.isEmpty()) {
            Received first =
                await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> firstSince(target, startedAt), r -> r != null);
            long ms = Math.max(0, (first.receivedNanos() - readyAt) / 1_000_000);
            readyToFirstFireMs.add(ms);
            System.out.printf(
                "KillNineIT round %d: ready %d ms after start, first fire %d ms after start (%d ms"
                    + " after ready)%n",
                round,
                (readyAt - startedAt) / 1_000_000,
                (first.receivedNanos() - startedAt) / 1_000_000,
                ms);
          }
          if (last) {
            break;
          }
          if (round % 2 == 1) {
            // let it fire for a while, so the kill comes while calls are in flight
            int seen = target.received().size();
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> target.received().size() >= seen + 2 * acknowledged.size());
          }
          for (int k = 0; k < SCHEDULES_PER_ROUND; k++) {
            String name = "round-" + round + "-" + k;
            String trigger = k % 2 == 0 ? interval(1) : cron("* * * * * *", "Europe/Berlin");
            HttpResponse<String> created =
                jar.send(
                    "POST",
                    "/api/v1/schedules",
                    schedule(name, trigger, target(target.url("/" + name).toString())));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            acknowledged.put(id(created), name);
          }
        } finally {
          if (last) {
            process.destroy();
          } else {
            process.destroyForcibly(); // SIGKILL on Linux and macOS
          }
          assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        if (!last) {
          assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(SIGKILL_EXIT);
        }
      }

      assertThat(acknowledged).hasSize(ROUNDS * SCHEDULES_PER_ROUND);
      assertNoAttemptSentAsTwoRuns(target.received());
      assertOneNodeIdKeptInTheDataFolder(jar.log());
      System.out.printf(
          "KillNineIT: ready to first fire after a kill, ms: %s%n", readyToFirstFireMs);
      // Loose on purpose: the lease (2 s) bounds it; a node taking its own leases back makes it
      // shorter still.
      assertThat(readyToFirstFireMs).hasSize(ROUNDS).allMatch(ms -> ms < 10_000);
    }
  }

  private static Received firstSince(TargetServer target, long nanos) {
    return target.received().stream()
        .filter(r -> r.receivedNanos() > nanos)
        .findFirst()
        .orElse(null);
  }

  private static void assertNoAttemptSentAsTwoRuns(List<Received> received) {
    Map<String, Set<String>> runIds = new LinkedHashMap<>();
    for (Received request : received) {
      String attempt =
          request.header("Idempotency-Key") + " attempt " + request.header("Chime-Attempt");
      runIds.computeIfAbsent(attempt, a -> new TreeSet<>()).add(request.header("Chime-Run-Id"));
    }
    assertThat(received)
        .isNotEmpty()
        .allMatch(r -> r.header("Chime-Run-Id") != null && r.header("Chime-Attempt") != null);
    Map<String, Set<String>> twice = new LinkedHashMap<>();
    runIds.forEach(
        (attempt, ids) -> {
          if (ids.size() > 1) {
            twice.put(attempt, ids);
          }
        });
    assertThat(twice).as("attempts sent under more than one run id").isEmpty();
  }

  private void assertOneNodeIdKeptInTheDataFolder(String log) throws Exception {
    String kept = Files.readString(dataDir.resolve("node-id")).strip();
    List<String> ids = new ArrayList<>();
    Matcher ready = READY.matcher(log);
    while (ready.find()) {
      ids.add(ready.group(1));
    }
    assertThat(ids).hasSize(ROUNDS + 1).containsOnly(kept);
  }

  private static String id(HttpResponse<String> created) throws Exception {
    return new ObjectMapper().readTree(created.body()).get("id").asText();
  }
}
