package dev.chime.server.alerts;

import static dev.chime.server.testing.Json.interval;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import dev.chime.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Alerts judged and sent by hand on a clock the test moves: a run stuck past its deadline, a result
 * delivered through a channel that fails at first, retried after its backoff by a node started
 * after the first one stopped.
 */
class AlertsOnAFakeClockTest {
  /** The loops' own turns would come only after ten minutes: the test turns them. */
  private static final Map<String, String> BY_HAND = Map.of("CHIME_ALERTS_POLL_MS", "600000");

  @Test
  void aRunStuckPastItsDeadlineIsAlertedOnceAndWhenItEnds() {
    SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    try (TargetServer target = new TargetServer();
        AlertReceivers receivers = new AlertReceivers();
        ChimeTestNode chime = ChimeTestNode.start(TestDatabases.h2(), clock, BY_HAND)) {
      target.answer(r -> r.path().equals("/hangs") ? Answer.hanging() : Answer.ok());
      Alerts alerts = chime.node().alerts();
      JsonNode hook =
          AlertReceivers.create(chime, receivers.webhookChannel("stuck-hook", "/stuck"));
      String schedule =
          AlertReceivers.schedule(chime, "slow-export", target.url("/hangs").toString(), 20_000);
      Response rule =
          chime.post(
              "/api/v1/alert-rules",
              "{\"kind\":\"stuck\",\"schedule_id\":\""
                  + schedule
                  + "\",\"after_s\":60,\"channels\":[\""
                  + hook.path("id").asText()
                  + "\"]}");
      assertThat(rule.status()).as(rule.raw().body()).isEqualTo(201);
      String run =
          chime.post("/api/v1/schedules/" + schedule + "/run-now", null).json().path("id").asText();
      await().until(() -> target.received("/hangs").size() == 1);

      alerts.judge();
      assertThat(alerts.sendDue()).as("within its deadline a slow run is no trouble").isZero();
      // the deadline: start + timeout (20 s) + lease (30 s); then the rule's 60 s more
      clock.advance(Duration.ofSeconds(20 + 30 + 61));
      alerts.judge();
      alerts.judge();
      assertThat(alerts.sendDue()).isEqualTo(1);
      alerts.judge();
      assertThat(alerts.sendDue()).as("an open incident is told once").isZero();
      JsonNode opened = receivers.webhookBodies("/stuck").get(0).path("alerts").get(0);
      assertThat(opened.path("kind").asText()).isEqualTo("stuck");
      assertThat(opened.path("title").asText())
          .isEqualTo("Schedule 'slow-export' has a run stuck past its deadline");
      assertThat(opened.path("text").asText())
          .startsWith("Run " + run + " of schedule 'slow-export' is still running 6")
          .contains("s after its deadline");
      assertThat(opened.path("run").path("id").asText()).isEqualTo(run);

      target.releaseHanging();
      await()
          .until(
              () ->
                  chime
                      .get("/api/v1/runs/" + run)
                      .json()
                      .path("status")
                      .asText()
                      .equals("success"));
      alerts.judge();
      assertThat(alerts.sendDue()).isEqualTo(1);
      JsonNode resolved = receivers.webhookBodies("/stuck").get(1).path("alerts").get(0);
      assertThat(resolved.path("event").asText()).isEqualTo("resolved");
      assertThat(resolved.path("incident_id")).isEqualTo(opened.path("incident_id"));
      assertThat(resolved.path("title").asText())
          .isEqualTo("Schedule 'slow-export' has no run stuck any more");
    }
  }

  @Test
  void firesLateForLongerThanTheRuleAllowsAreAlertedOnceAndWhenOnTimeAgain() {
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SettableClock clock = new SettableClock(t0);
    try (TargetServer target = new TargetServer();
        AlertReceivers receivers = new AlertReceivers();
        ChimeTestNode chime = ChimeTestNode.start(TestDatabases.h2(), clock, BY_HAND)) {
      Alerts alerts = chime.node().alerts();
      JsonNode hook = AlertReceivers.create(chime, receivers.webhookChannel("late-hook", "/late"));
      Response created =
          chime.post(
              "/api/v1/schedules",
              "{\"name\":\"every-10s\",\"trigger\":"
                  + interval(10)
                  + ",\"target\":{\"url\":\""
                  + target.url("/tick")
                  + "\"}}");
      String schedule = created.json().path("id").asText();
      Response rule =
          chime.post(
              "/api/v1/alert-rules",
              "{\"kind\":\"late\",\"schedule_id\":\""
                  + schedule
                  + "\",\"above_ms\":1000,\"for_s\":15,\"channels\":[\""
                  + hook.path("id").asText()
                  + "\"]}");
      assertThat(rule.status()).as(rule.raw().body()).isEqualTo(201);
      assertThat(rule.json().path("for_s").asInt()).isEqualTo(15);
      // three fires, each sent 3 s after its instant
      for (int i = 1; i <= 3; i++) {
        fireAt(chime, clock, target, t0.plusSeconds(10L * i + 3), i);
        alerts.judge();
      }
      assertThat(alerts.sendDue()).as("late since t0+10s, for 23 s by now").isEqualTo(1);
      JsonNode late = receivers.webhookBodies("/late").get(0).path("alerts").get(0);
      assertThat(late.path("title").asText()).isEqualTo("Schedule 'every-10s' fires late");
      assertThat(late.path("text").asText())
          .contains("more than 1000 ms after its instants since " + t0.plusSeconds(10))
          .contains("went out 3000 ms late");
      fireAt(chime, clock, target, t0.plusSeconds(40), 4);
      alerts.judge();
      assertThat(alerts.sendDue()).isEqualTo(1);
      JsonNode onTime = receivers.webhookBodies("/late").get(1).path("alerts").get(0);
      assertThat(onTime.path("event").asText()).isEqualTo("resolved");
      assertThat(onTime.path("title").asText())
          .isEqualTo("Schedule 'every-10s' fires on time again");
    }
  }

  /**
   * Moves the clock to {@code at} and waits for the target's {@code count}th call to be on record.
   */
  private static void fireAt(
      ChimeTestNode chime, SettableClock clock, TargetServer target, Instant at, int count) {
    clock.set(at);
    chime.node().engine().wake();
    await().until(() -> target.received("/tick").size() == count);
    await().until(() -> chime.node().engine().isQuiet());
  }

  @Test
  void aDeliveryThatFailsIsTriedAgainAfterItsBackoffByTheNextNode() {
    SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    DatabaseSettings database = TestDatabases.h2();
    AtomicInteger hookCalls = new AtomicInteger();
    try (TargetServer target = new TargetServer();
        AlertReceivers receivers = new AlertReceivers()) {
      receivers.hooks.answer(
          r ->
              r.path().equals("/flaky") && hookCalls.incrementAndGet() == 1
                  ? Answer.status(503)
                  : Answer.ok());
      String schedule;
      try (ChimeTestNode first = ChimeTestNode.start(database, clock, BY_HAND)) {
        JsonNode hook =
            AlertReceivers.create(first, receivers.webhookChannel("flaky-hook", "/flaky"));
        schedule =
            AlertReceivers.schedule(first, "results-job", target.url("/ok").toString(), 5_000);
        Response rule =
            first.post(
                "/api/v1/alert-rules",
                "{\"kind\":\"result\",\"schedule_id\":\""
                    + schedule
                    + "\",\"on\":\"both\",\"channels\":[\""
                    + hook.path("id").asText()
                    + "\"]}");
        assertThat(rule.status()).as(rule.raw().body()).isEqualTo(201);
        clock.advance(Duration.ofSeconds(1)); // a result rule tells runs that end after it is made
        String run =
            first
                .post("/api/v1/schedules/" + schedule + "/run-now", null)
                .json()
                .path("id")
                .asText();
        await()
            .until(
                () ->
                    first
                        .get("/api/v1/runs/" + run)
                        .json()
                        .path("status")
                        .asText()
                        .equals("success"));
        clock.advance(AlertJudge.RESULT_LAG.plusSeconds(1));
        first.node().alerts().judge();
        first.node().alerts().judge();
        assertThat(first.node().alerts().sendDue()).as("the channel answered 503").isZero();
        assertThat(receivers.hooks.received("/flaky")).hasSize(1);
      }
      clock.advance(AlertSender.BACKOFF.get(0).minusSeconds(1));
      try (ChimeTestNode second = ChimeTestNode.start(database, clock, BY_HAND)) {
        assertThat(second.node().alerts().sendDue()).as("not due before its backoff").isZero();
        clock.advance(Duration.ofSeconds(2));
        assertThat(second.node().alerts().sendDue()).isEqualTo(1);
        var calls = receivers.hooks.received("/flaky");
        assertThat(calls).hasSize(2);
        // the same message id both times, so a receiver can drop a repeat
        assertThat(calls.get(1).header("webhook-id")).isEqualTo(calls.get(0).header("webhook-id"));
        JsonNode result = AlertReceivers.parse(calls.get(1).body()).path("alerts").get(0);
        assertThat(result.path("event").asText()).isEqualTo("result");
        assertThat(result.path("title").asText()).isEqualTo("Run of 'results-job' succeeded");
        assertThat(result.path("text").asText()).contains("ended success").contains("(HTTP 200)");
        second.node().alerts().judge();
        assertThat(second.node().alerts().sendDue()).as("each result is told once").isZero();
      }
    }
  }
}
