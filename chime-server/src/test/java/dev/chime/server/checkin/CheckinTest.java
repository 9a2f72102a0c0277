package dev.chime.server.checkin;

import static dev.chime.server.testing.Json.interval;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.alerts.Alerts;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TestDatabases;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dead-man check-ins on a clock the test moves: a job elsewhere pings each period; a ping closes
 * the run waiting for it, a ping a little early is taken by the next instant, /fail fails it, and a
 * period without one is recorded as a missed run, which raises the schedule's alert.
 */
class CheckinTest {
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(7);
  private static SettableClock clock;
  private static ChimeTestNode chime;
  private static TargetServer hooks;

  @BeforeAll
  static void start() {
    clock = new SettableClock(T0);
    hooks = new TargetServer();
    chime =
        ChimeTestNode.start(TestDatabases.h2(), clock, Map.of("CHIME_ALERTS_POLL_MS", "600000"));
  }

  @AfterAll
  static void stop() {
    chime.close();
    hooks.close();
  }

  @Test
  void aPeriodWithoutAPingIsAMissedRunThatRaisesTheAlert() {
    String schedule = checkin("nightly-backup", 60, 30);
    Response issued = chime.post("/api/v1/schedules/" + schedule + "/checkin-token", null);
    assertThat(issued.status()).as(issued.raw().body()).isEqualTo(201);
    String token = issued.json().path("token").asText();
    assertThat(token).startsWith("ck_").hasSizeGreaterThan(40);
    String ping = URI.create(issued.json().path("ping_url").asText()).getPath();
    assertThat(ping).isEqualTo("/api/v1/checkins/" + token);
    assertThat(chime.get("/api/v1/schedules/" + schedule).json().path("target").toString())
        .isEqualTo("{\"type\":\"checkin\",\"grace_s\":30}");
    String hook =
        chime
            .post(
                "/api/v1/channels",
                "{\"name\":\"backup-hook\",\"type\":\"webhook\",\"url\":\""
                    + hooks.url("/backup")
                    + "\"}")
            .json()
            .path("id")
            .asText();
    Response rule =
        chime.post(
            "/api/v1/alert-rules",
            "{\"kind\":\"failures\",\"threshold\":1,\"schedule_id\":\""
                + schedule
                + "\",\"channels\":[\""
                + hook
                + "\"]}");
    assertThat(rule.status()).isEqualTo(201);
    ChimeTestNode anyone = chime.as(null);

    // first period: the job pings while its run waits
    JsonNode first = waitingRun(schedule, at(60));
    assertThat(first.path("status").asText()).isEqualTo("running");
    clock.set(at(75));
    Response pinged = anyone.post(ping, null);
    assertThat(pinged.status()).as(pinged.raw().body()).isEqualTo(200);
    assertThat(pinged.json().path("run_id").asText()).isEqualTo(first.path("id").asText());
    assertThat(run(first).path("status").asText()).isEqualTo("success");
    assertThat(run(first).path("duration_ms").asLong()).isEqualTo(15_000);

    // second period: no ping within the grace
    JsonNode second = waitingRun(schedule, at(120));
    clock.set(at(151));
    chime.node().engine().wake();
    await().until(() -> run(second).path("status").asText().equals("failed"));
    assertThat(run(second).path("error_code").asText()).isEqualTo("missed");
    assertThat(run(second).path("error_message").asText()).startsWith("no ping by the deadline");
    Alerts alerts = chime.node().alerts();
    alerts.judge();
    assertThat(alerts.sendDue()).isEqualTo(1);
    JsonNode alert = JsonBody.alert(hooks.received("/backup").get(0).body());
    assertThat(alert.path("title").asText())
        .isEqualTo("Schedule 'nightly-backup' failed 1 time in a row");
    assertThat(alert.path("last_error").asText()).startsWith("missed: no ping by the deadline");

    // a ping a little before the third instant is that instant's success
    clock.set(at(170));
    Response early = anyone.post(ping, null);
    assertThat(early.json().path("run_id").isNull()).isTrue();
    assertThat(early.json().path("detail").asText()).contains("kept for the next instant");
    JsonNode third = endedRun(schedule, at(180));
    assertThat(third.path("status").asText()).isEqualTo("success");
    alerts.judge();
    assertThat(alerts.sendDue()).isEqualTo(1);
    assertThat(JsonBody.alert(hooks.received("/backup").get(1).body()).path("event").asText())
        .isEqualTo("resolved");

    // the job reports a failure, after saying it started
    JsonNode fourth = waitingRun(schedule, at(240));
    clock.set(at(242));
    assertThat(anyone.post(ping + "/start", null).json().path("run_id").asText())
        .isEqualTo(fourth.path("id").asText());
    clock.set(at(250));
    Response failed =
        anyone.send("POST", ping + "/fail", "{\"message\":\"disk full\"}", "application/json");
    assertThat(failed.status()).as(failed.raw().body()).isEqualTo(200);
    JsonNode fourthEnded = run(fourth);
    assertThat(fourthEnded.path("status").asText()).isEqualTo("failed");
    assertThat(fourthEnded.path("error_code").asText()).isEqualTo("checkin_failure");
    assertThat(fourthEnded.path("error_message").asText()).isEqualTo("disk full");
    assertThat(fourthEnded.path("duration_ms").asLong()).isEqualTo(8_000);

    assertThat(anyone.post("/api/v1/checkins/ck_not-a-token", null).status()).isEqualTo(404);
  }

  @Test
  void onlyACheckinScheduleGetsAToken() {
    Response created =
        chime.post(
            "/api/v1/schedules",
            "{\"name\":\"plain-http\",\"trigger\":"
                + interval(3600)
                + ",\"target\":{\"url\":\"http://127.0.0.1:9/x\"}}");
    Response refused =
        chime.post(
            "/api/v1/schedules/" + created.json().path("id").asText() + "/checkin-token", null);
    assertThat(refused.status()).isEqualTo(409);
    Response bad =
        chime.post(
            "/api/v1/schedules",
            "{\"name\":\"bad-checkin\",\"trigger\":"
                + interval(3600)
                + ",\"target\":{\"type\":\"checkin\",\"grace_s\":0,\"url\":\"http://x\"}}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("errors").toString())
        .contains("target.grace_s")
        .contains("target.url");
  }

  private static String checkin(String name, int periodS, int graceS) {
    Response created =
        chime.post(
            "/api/v1/schedules",
            "{\"name\":\""
                + name
                + "\",\"trigger\":"
                + interval(periodS)
                + ",\"target\":{\"type\":\"checkin\",\"grace_s\":"
                + graceS
                + "}}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(Instant.parse(created.json().path("next_fire_at").asText())).isEqualTo(at(periodS));
    return created.json().path("id").asText();
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  /** Moves the clock to the instant and waits for its run to be waiting for a ping. */
  private static JsonNode waitingRun(String schedule, Instant instant) {
    return runAt(schedule, instant, run -> run.path("http_status").asInt() == 202);
  }

  /** Moves the clock to the instant and waits for its run to end. */
  private static JsonNode endedRun(String schedule, Instant instant) {
    return runAt(schedule, instant, run -> !run.path("status").asText().equals("running"));
  }

  private static JsonNode runAt(
      String schedule, Instant instant, java.util.function.Predicate<JsonNode> state) {
    clock.set(instant);
    chime.node().engine().wake();
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runAt(schedule, instant), run -> run != null && state.test(run));
  }

  private static JsonNode runAt(String schedule, Instant instant) {
    for (JsonNode run : chime.get("/api/v1/schedules/" + schedule + "/runs").json().path("items")) {
      if (Instant.parse(run.path("scheduled_at").asText()).equals(instant)) {
        return run;
      }
    }
    return null;
  }

  private static JsonNode run(JsonNode run) {
    return chime.get("/api/v1/runs/" + run.path("id").asText()).json();
  }

  /** The first alert of a webhook delivery. */
  private static final class JsonBody {
    static JsonNode alert(String body) {
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(body)
            .path("alerts")
            .get(0);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
