package dev.chime.server.alerts;

import static dev.chime.server.testing.Json.interval;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.server.testing.Tenants;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import dev.chime.testing.TestDatabases;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rules about how schedules fire, judged by hand on a clock the test moves, with a real webhook
 * receiver: a drift rule (instants skipped as an overlap) and a tenant-wide late rule, each told
 * once when its incident opens and once when it closes; and the incidents as the API lists them.
 */
class FiringRulesTest {
  private static final Map<String, String> BY_HAND = Map.of("CHIME_ALERTS_POLL_MS", "600000");

  @Test
  void instantsSkippedAsAnOverlapOpenOneDriftIncidentThatClosesWhenEveryInstantIsSentAgain() {
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SettableClock clock = new SettableClock(t0);
    try (TargetServer target = new TargetServer();
        AlertReceivers receivers = new AlertReceivers();
        ChimeTestNode chime = ChimeTestNode.start(TestDatabases.h2(), clock, BY_HAND)) {
      target.answer(r -> target.received("/slow").size() == 1 ? Answer.hanging() : Answer.ok());
      Alerts alerts = chime.node().alerts();
      String hook =
          AlertReceivers.create(chime, receivers.webhookChannel("drift-hook", "/drift"))
              .path("id")
              .asText();
      String schedule = schedule(chime, "every-10s", target.url("/slow").toString());
      Response rule =
          chime.post(
              "/api/v1/alert-rules",
              "{\"kind\":\"drift\",\"schedule_id\":\""
                  + schedule
                  + "\",\"threshold\":2,\"window_s\":60,\"channels\":[\""
                  + hook
                  + "\"]}");
      assertThat(rule.status()).as(rule.raw().body()).isEqualTo(201);
      assertThat(rule.json().path("window_s").asInt()).isEqualTo(60);

      // the first fire hangs: the next three instants are skipped as an overlap
      for (int i = 1; i <= 4; i++) {
        step(chime, clock, schedule, t0.plusSeconds(10L * i), i);
        alerts.judge();
      }
      clock.set(t0.plusSeconds(41)); // t0+30 is now older than the 10 s stats let settle
      alerts.judge();
      assertThat(alerts.sendDue()).isEqualTo(1);
      alerts.judge();
      assertThat(alerts.sendDue()).as("one alert per incident").isZero();
      JsonNode opened = receivers.webhookBodies("/drift").get(0).path("alerts").get(0);
      assertThat(opened.path("kind").asText()).isEqualTo("drift");
      assertThat(opened.path("title").asText())
          .isEqualTo("Schedule 'every-10s' drifts: 2 instants not sent in 1 min");
      assertThat(opened.path("text").asText())
          .contains("did not send 2 of the 3 instants its trigger asked for in the last 1 min")
          .contains("the first at " + t0.plusSeconds(20));
      assertThat(opened.path("not_sent").asInt()).isEqualTo(2);

      Response open = chime.get("/api/v1/incidents?state=open&schedule_id=" + schedule);
      assertThat(open.json().path("items")).hasSize(1);
      JsonNode incident = open.json().path("items").get(0);
      assertThat(incident.path("id").asText()).isEqualTo(opened.path("incident_id").asText());
      assertThat(incident.path("kind").asText()).isEqualTo("drift");
      assertThat(incident.path("state").asText()).isEqualTo("open");
      assertThat(incident.path("schedule").path("name").asText()).isEqualTo("every-10s");
      assertThat(incident.path("since").asText()).isEqualTo(t0.plusSeconds(20).toString());

      // the hung call ends; every instant of the next minute goes out
      target.releaseHanging();
      await().until(() -> chime.node().engine().isQuiet());
      for (int i = 5; i <= 10; i++) {
        step(chime, clock, schedule, t0.plusSeconds(10L * i), i);
        alerts.judge();
      }
      // at t0+100 the window (t0+40 to t0+90, settled) holds one instant not sent: below 2
      assertThat(alerts.sendDue()).isEqualTo(1);
      JsonNode resolved = receivers.webhookBodies("/drift").get(1).path("alerts").get(0);
      assertThat(resolved.path("event").asText()).isEqualTo("resolved");
      assertThat(resolved.path("incident_id")).isEqualTo(opened.path("incident_id"));
      assertThat(resolved.path("title").asText())
          .isEqualTo("Schedule 'every-10s' fires every instant again");
      alerts.judge();
      assertThat(alerts.sendDue()).isZero();
      JsonNode closed = chime.get("/api/v1/incidents/" + incident.path("id").asText()).json();
      assertThat(closed.path("state").asText()).isEqualTo("closed");
      assertThat(closed.path("closed_at").asText()).isEqualTo(t0.plusSeconds(100).toString());
      assertThat(chime.get("/api/v1/incidents?state=open").json().path("items")).isEmpty();
    }
  }

  @Test
  void aTenantWideLateRuleTellsOfTheLateScheduleOnlyOnceAndWhenItIsOnTimeAgain() {
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SettableClock clock = new SettableClock(t0);
    try (TargetServer target = new TargetServer();
        AlertReceivers receivers = new AlertReceivers();
        ChimeTestNode chime = ChimeTestNode.start(TestDatabases.h2(), clock, BY_HAND)) {
      Alerts alerts = chime.node().alerts();
      String hook =
          AlertReceivers.create(chime, receivers.webhookChannel("late-hook", "/late"))
              .path("id")
              .asText();
      Response rule =
          chime.post(
              "/api/v1/alert-rules",
              "{\"kind\":\"late\",\"above_ms\":1000,\"for_s\":15,\"channels\":[\"" + hook + "\"]}");
      assertThat(rule.status()).as(rule.raw().body()).isEqualTo(201);
      assertThat(rule.json().path("schedule_id").isNull()).isTrue();
      String ruleId = rule.json().path("id").asText();
      String late = schedule(chime, "late-one", target.url("/late-one").toString());
      clock.set(t0.plusSeconds(5));
      String onTime = schedule(chime, "on-time", target.url("/on-time").toString());

      // late-one's instants (t0+10, +20, +30) go out 3 s late; on-time's (t0+15, +25, +35) at once
      for (int i = 1; i <= 3; i++) {
        step(chime, clock, late, t0.plusSeconds(10L * i + 3), i);
        alerts.judge();
        step(chime, clock, onTime, t0.plusSeconds(10L * i + 5), i);
        alerts.judge();
      }
      assertThat(alerts.sendDue()).isEqualTo(1);
      List<JsonNode> bodies = receivers.webhookBodies("/late");
      assertThat(bodies).hasSize(1);
      JsonNode opened = bodies.get(0).path("alerts").get(0);
      assertThat(opened.path("title").asText()).isEqualTo("Schedule 'late-one' fires late");
      assertThat(opened.path("schedule").path("id").asText()).isEqualTo(late);

      step(chime, clock, late, t0.plusSeconds(40), 4);
      alerts.judge();
      assertThat(alerts.sendDue()).isEqualTo(1);
      JsonNode resolved = receivers.webhookBodies("/late").get(1).path("alerts").get(0);
      assertThat(resolved.path("title").asText())
          .isEqualTo("Schedule 'late-one' fires on time again");
      alerts.judge();
      assertThat(alerts.sendDue()).isZero();

      JsonNode ofRule = chime.get("/api/v1/incidents?rule_id=" + ruleId).json();
      assertThat(ofRule.path("items")).hasSize(1);
      assertThat(ofRule.path("items").get(0).path("schedule").path("id").asText()).isEqualTo(late);
      assertThat(ofRule.path("items").get(0).path("state").asText()).isEqualTo("closed");
      assertThat(chime.get("/api/v1/incidents?schedule_id=" + onTime).json().path("items"))
          .isEmpty();
      assertThat(chime.get("/api/v1/incidents?state=closed&limit=1").json().path("items"))
          .hasSize(1);
      assertThat(chime.get("/api/v1/incidents?state=later").status()).isEqualTo(400);

      // another tenant sees none of it
      Tenants.create(chime, "other");
      try (ChimeTestNode other = chime.as(Tenants.token(chime, "other", "admin"))) {
        String id = ofRule.path("items").get(0).path("id").asText();
        assertThat(other.get("/api/v1/incidents/" + id).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/incidents").json().path("items")).isEmpty();
      }
    }
  }

  private static String schedule(ChimeTestNode chime, String name, String url) {
    Response created =
        chime.post(
            "/api/v1/schedules",
            "{\"name\":\""
                + name
                + "\",\"trigger\":"
                + interval(10)
                + ",\"target\":{\"url\":\""
                + url
                + "\",\"timeout_ms\":600000},\"retry_policy\":{\"max_attempts\":1}}");
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  /**
   * Moves the clock to {@code at} and waits for the schedule's {@code count}th run on record, and
   * for the engine to be done with it unless a call hangs.
   */
  private static void step(
      ChimeTestNode chime, SettableClock clock, String schedule, Instant at, int count) {
    clock.set(at);
    chime.node().engine().wake();
    await()
        .until(
            () -> {
              JsonNode runs =
                  chime
                      .get("/api/v1/schedules/" + schedule + "/runs?limit=50")
                      .json()
                      .path("items");
              return runs.size() >= count
                  && List.of("success", "skipped", "running")
                      .contains(runs.get(0).path("status").asText());
            });
    if (chime.node().engine().armedCount() == 0) {
      await().until(() -> chime.node().engine().isQuiet() || hangs(chime, schedule));
    }
  }

  /** Whether the schedule's first run is still running (its call hangs). */
  private static boolean hangs(ChimeTestNode chime, String schedule) {
    JsonNode runs =
        chime.get("/api/v1/schedules/" + schedule + "/runs?limit=50").json().path("items");
    return runs.get(runs.size() - 1).path("status").asText().equals("running");
  }
}
