package dev.chime.server.api;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.once;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A user's whole path, in real time, on each database: register a schedule over HTTP, see it call a
 * real target on time, and read its runs back through the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FiringContractTest {
  private ChimeTestNode chime;
  private TargetServer target;

  abstract DatabaseSettings database();

  @BeforeAll
  void start() {
    target = new TargetServer();
    chime = ChimeTestNode.start(database(), Clock.systemUTC(), Map.of());
  }

  @AfterAll
  void stop() {
    chime.close();
    target.close();
  }

  @Test
  void anIntervalScheduleCallsItsTargetOnTimeAndRecordsEachRun() {
    String path = "/every-second-" + System.nanoTime();
    String id =
        created(
            chime.post(
                "/api/v1/schedules",
                schedule(
                    "every-second-" + System.nanoTime(),
                    interval(1),
                    target(target.url(path).toString()))));

    await().atMost(Duration.ofSeconds(10)).until(() -> target.received(path).size() >= 2);

    TargetServer.Received first = target.received(path).get(0);
    Instant scheduled = Instant.parse(first.header("Chime-Scheduled-At"));
    assertThat(first.body()).isEqualTo("{\"report\":\"daily\"}");
    assertThat(first.header("Idempotency-Key")).isEqualTo(id + "@" + scheduled);
    assertThat(first.receivedEpochMillis()).isGreaterThanOrEqualTo(scheduled.toEpochMilli());

    await().until(() -> finished(id) >= 2);
    JsonNode runs = chime.get("/api/v1/schedules/" + id + "/runs").json().get("items");
    JsonNode newest = runs.get(0);
    assertThat(Instant.parse(newest.get("scheduled_at").asText()))
        .isAfter(Instant.parse(runs.get(1).get("scheduled_at").asText()));
    JsonNode oldest = runs.get(runs.size() - 1);
    assertThat(oldest.get("status").asText()).isEqualTo("success");
    assertThat(oldest.get("http_status").asInt()).isEqualTo(200);
    assertThat(oldest.get("attempt").asInt()).isEqualTo(1);
    assertThat(oldest.get("response_excerpt").asText()).isEqualTo("{\"ok\":true}");
    assertThat(oldest.get("trace_id").asText()).hasSize(32);
    assertThat(
            Duration.between(
                Instant.parse(oldest.get("scheduled_at").asText()),
                Instant.parse(runs.get(runs.size() - 2).get("scheduled_at").asText())))
        .isEqualTo(Duration.ofSeconds(1));

    Response run = chime.get("/api/v1/runs/" + oldest.get("id").asText());
    assertThat(run.json()).isEqualTo(oldest);
  }

  @Test
  void aOnceScheduleFiresOnceAndDisablesItself() {
    String path = "/once-" + System.nanoTime();
    Instant at = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
    String id =
        created(
            chime.post(
                "/api/v1/schedules",
                schedule(
                    "once-" + System.nanoTime(),
                    once(at.toString()),
                    target(target.url(path).toString()))));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !chime.get("/api/v1/schedules/" + id).json().get("enabled").asBoolean());

    assertThat(target.received(path)).hasSize(1);
    JsonNode schedule = chime.get("/api/v1/schedules/" + id).json();
    assertThat(schedule.get("next_fire_at").isNull()).isTrue();
    assertThat(schedule.get("last_fire_at").asText()).isEqualTo(at.toString());
  }

  @Test
  void runNowCallsTheTargetAtOnceWithoutMovingTheNextFire() {
    String path = "/run-now-" + System.nanoTime();
    Response created =
        chime.post(
            "/api/v1/schedules",
            schedule(
                "run-now-" + System.nanoTime(),
                interval(3600),
                target(target.url(path).toString())));
    String id = created(created);

    Response queued = chime.post("/api/v1/schedules/" + id + "/run-now", null);

    assertThat(queued.status()).isEqualTo(202);
    assertThat(queued.json().get("status").asText()).isEqualTo("queued");
    assertThat(queued.json().get("origin").asText()).isEqualTo("manual");
    String runId = queued.json().get("id").asText();
    assertThat(queued.header("Location")).isEqualTo("/api/v1/runs/" + runId);
    await()
        .until(
            () ->
                chime.get("/api/v1/runs/" + runId).json().get("status").asText().equals("success"));
    assertThat(target.received(path))
        .singleElement()
        .satisfies(r -> assertThat(r.header("Chime-Run-Id")).isEqualTo(runId));
    assertThat(chime.get("/api/v1/schedules/" + id).json().get("next_fire_at"))
        .isEqualTo(created.json().get("next_fire_at"));
  }

  @Test
  void aFailingTargetLeavesAFailedRunWithTheStatusAndExcerpt() {
    String path = "/fails-" + System.nanoTime();
    target.answer(
        r -> r.path().equals(path) ? Answer.status(500).withBody("database is down") : Answer.ok());
    String id =
        created(
            chime.post(
                "/api/v1/schedules",
                "{\"name\":\"fails-"
                    + System.nanoTime()
                    + "\",\"trigger\":"
                    + interval(3600)
                    + ",\"target\":"
                    + target(target.url(path).toString())
                    + ",\"retry_policy\":{\"max_attempts\":1}}"));

    chime.post("/api/v1/schedules/" + id + "/run-now", null);

    await().until(() -> finished(id) == 1);
    JsonNode run = chime.get("/api/v1/schedules/" + id + "/runs").json().get("items").get(0);
    assertThat(run.get("status").asText()).isEqualTo("failed");
    assertThat(run.get("http_status").asInt()).isEqualTo(500);
    assertThat(run.get("error_code").asText()).isEqualTo("http_status");
    assertThat(run.get("response_excerpt").asText()).isEqualTo("database is down");
  }

  private int finished(String id) {
    int count = 0;
    for (JsonNode run : chime.get("/api/v1/schedules/" + id + "/runs").json().get("items")) {
      String status = run.get("status").asText();
      if (!status.equals("queued") && !status.equals("running")) {
        count++;
      }
    }
    return count;
  }

  private static String created(Response response) {
    assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
    return response.json().get("id").asText();
  }
}
