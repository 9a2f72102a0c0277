package dev.chime.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.node.NodeRegistration;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.NodeStore;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import dev.chime.testing.TestDatabases;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alerts through the real API on one node: a schedule that fails on purpose against a real target,
 * channels that deliver to a real webhook receiver and a real SMTP server, exactly one alert per
 * incident and one recovery message, credentials never answered, and the test send.
 */
class AlertsApiTest {
  private static final DatabaseSettings DATABASE = TestDatabases.h2();
  private static ChimeTestNode chime;
  private static TargetServer target;
  private static AlertReceivers receivers;

  @BeforeAll
  static void start() {
    target = new TargetServer();
    receivers = new AlertReceivers();
    chime =
        ChimeTestNode.start(
            DATABASE,
            java.time.Clock.systemUTC(),
            Map.of("CHIME_ALERTS_POLL_MS", "50", "CHIME_NODE_HEARTBEAT_MS", "200"));
  }

  @AfterAll
  static void stop() {
    chime.close();
    receivers.close();
    target.close();
  }

  @Test
  void aFailureStreakIsAlertedOnceOnEveryChannelAndItsRecoveryOnce() throws Exception {
    String hookPath = "/hook-" + System.nanoTime();
    String slackPath = "/slack-" + System.nanoTime();
    JsonNode webhook = AlertReceivers.create(chime, receivers.webhookChannel("ops-hook", hookPath));
    JsonNode slack = AlertReceivers.create(chime, receivers.slackChannel("ops-slack", slackPath));
    JsonNode email = AlertReceivers.create(chime, receivers.emailChannel("ops-mail", "none"));
    String secret = webhook.path("signing_secret").asText();
    assertThat(secret).startsWith("whsec_");

    String path = "/fails-" + System.nanoTime();
    AtomicInteger calls = new AtomicInteger();
    target.answer(
        r ->
            r.path().equals(path) && calls.incrementAndGet() <= 3
                ? Answer.status(503)
                : Answer.ok());
    String schedule = schedule("nightly-report", path);
    Response rule =
        chime.post(
            "/api/v1/alert-rules",
            "{\"kind\":\"failures\",\"schedule_id\":\""
                + schedule
                + "\",\"threshold\":2,\"channels\":[\""
                + webhook.path("id").asText()
                + "\",\""
                + slack.path("id").asText()
                + "\",\""
                + email.path("id").asText()
                + "\"]}");
    assertThat(rule.status()).as(rule.raw().body()).isEqualTo(201);
    assertThat(rule.json().path("threshold").asInt()).isEqualTo(2);

    runAndAwait(schedule, "failed");
    String second = runAndAwait(schedule, "failed");
    await().until(() -> receivers.webhookBodies(hookPath).size() == 1);
    runAndAwait(schedule, "failed");
    runAndAwait(schedule, "success");
    await().until(() -> receivers.webhookBodies(hookPath).size() == 2);
    await().until(() -> receivers.hooks.received(slackPath).size() == 2);
    await().until(() -> mailsAbout("nightly-report").size() == 2);
    // nothing more comes: one message when the streak broke the rule, one when it ended
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(5))
        .until(() -> receivers.webhookBodies(hookPath).size() == 2);

    List<JsonNode> bodies = receivers.webhookBodies(hookPath);
    JsonNode opened = bodies.get(0).path("alerts").get(0);
    assertThat(bodies.get(0).path("type").asText()).isEqualTo("chime.alerts");
    assertThat(opened.path("event").asText()).isEqualTo("opened");
    assertThat(opened.path("kind").asText()).isEqualTo("failures");
    assertThat(opened.path("title").asText())
        .isEqualTo("Schedule 'nightly-report' failed 2 times in a row");
    assertThat(opened.path("text").asText())
        .contains("has failed 2 times in a row, since ")
        .contains("Last error: http_status");
    assertThat(opened.path("last_error").asText()).contains("503");
    assertThat(opened.path("run").path("id").asText()).isEqualTo(second);
    assertThat(opened.path("run").path("url").asText())
        .isEqualTo(chime.url("/schedules/" + schedule + "/runs/" + second).toString());
    assertThat(opened.path("run").path("api_url").asText())
        .isEqualTo(chime.url("/api/v1/runs/" + second).toString());
    assertThat(opened.path("schedule").path("url").asText())
        .isEqualTo(chime.url("/schedules/" + schedule).toString());
    Instant.parse(opened.path("since").asText());
    JsonNode resolved = bodies.get(1).path("alerts").get(0);
    assertThat(resolved.path("event").asText()).isEqualTo("resolved");
    assertThat(resolved.path("incident_id")).isEqualTo(opened.path("incident_id"));
    assertThat(resolved.path("title").asText()).isEqualTo("Schedule 'nightly-report' recovered");
    assertThat(resolved.path("text").asText())
        .contains("succeeded again at ")
        .contains("failed runs in a row");

    // signed as fires are (Standard Webhooks), with the channel's own headers and URL
    TargetServer.Received request = receivers.hooks.received(hookPath).get(0);
    assertThat(request.header("Authorization")).isEqualTo("Bearer hook-header-secret");
    String id = request.header("webhook-id");
    String timestamp = request.header("webhook-timestamp");
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())),
            "HmacSHA256"));
    byte[] expected =
        mac.doFinal((id + "." + timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8));
    assertThat(request.header("webhook-signature"))
        .isEqualTo("v1," + java.util.Base64.getEncoder().encodeToString(expected));

    String slackText =
        AlertReceivers.parse(receivers.hooks.received(slackPath).get(0).body())
            .path("text")
            .asText();
    assertThat(slackText)
        .startsWith("*Schedule 'nightly-report' failed 2 times in a row*\n")
        .contains("|Run>");

    List<MimeMessage> mails = mailsAbout("nightly-report");
    assertThat(mails.get(0).getSubject())
        .isEqualTo("[Chime] Schedule 'nightly-report' failed 2 times in a row");
    assertThat(mails.get(0).getContent().toString())
        .contains("has failed 2 times in a row")
        .contains("Run: " + chime.url("/schedules/" + schedule + "/runs/" + second));
    assertThat(mails.get(1).getSubject()).isEqualTo("[Chime] Schedule 'nightly-report' recovered");
  }

  @Test
  void credentialsAreNeverAnswered() {
    JsonNode made =
        AlertReceivers.create(chime, receivers.webhookChannel("secret-hook", "/secret"));
    JsonNode mail = AlertReceivers.create(chime, receivers.emailChannel("secret-mail", "none"));
    for (JsonNode channel : List.of(made, mail)) {
      String id = channel.path("id").asText();
      String read = chime.get("/api/v1/channels/" + id).raw().body();
      String list = chime.get("/api/v1/channels").raw().body();
      String audit = chime.get("/api/v1/audit?object_id=" + id).raw().body();
      for (String shown :
          List.of(
              read,
              list,
              audit,
              made.toString().replace(made.path("signing_secret").asText(), ""))) {
        assertThat(shown)
            .doesNotContain("hook-secret-token")
            .doesNotContain("hook-header-secret")
            .doesNotContain(AlertReceivers.SMTP_PASSWORD)
            .doesNotContain("whsec_");
      }
    }
    JsonNode read = chime.get("/api/v1/channels/" + made.path("id").asText()).json();
    assertThat(read.path("url").asText())
        .isEqualTo("http://127.0.0.1:" + receivers.hooks.url("/").getPort() + "/****");
    assertThat(read.path("headers").path("Authorization").asText()).isEqualTo("****");
    assertThat(read.path("signing_secret").asText()).isEqualTo("****");
    JsonNode mailRead = chime.get("/api/v1/channels/" + mail.path("id").asText()).json();
    assertThat(mailRead.path("smtp").path("password").asText()).isEqualTo("****");
    assertThat(mailRead.path("smtp").path("user").asText()).isEqualTo(AlertReceivers.SMTP_USER);
    assertThat(mailRead.path("to").get(0).asText()).isEqualTo("ops@example.com");
  }

  @Test
  void aTestAlertIsSentAtOnceAndSaysHowItWent() throws Exception {
    String path = "/test-" + System.nanoTime();
    JsonNode hook = AlertReceivers.create(chime, receivers.webhookChannel("test-hook", path));
    Response sent = chime.post("/api/v1/channels/" + hook.path("id").asText() + "/test", null);
    assertThat(sent.status()).as(sent.raw().body()).isEqualTo(200);
    assertThat(sent.json().path("delivered").asBoolean()).isTrue();
    assertThat(sent.json().path("detail").asText()).isEqualTo("HTTP 200");
    JsonNode alert = receivers.webhookBodies(path).get(0).path("alerts").get(0);
    assertThat(alert.path("event").asText()).isEqualTo("test");
    assertThat(alert.path("text").asText()).contains("test of the channel 'test-hook'");

    JsonNode dead =
        AlertReceivers.create(
            chime,
            "{\"name\":\"dead-hook\",\"type\":\"slack\",\"url\":\"http://127.0.0.1:9/nobody\"}");
    Response refused = chime.post("/api/v1/channels/" + dead.path("id").asText() + "/test", null);
    assertThat(refused.status()).isEqualTo(200);
    assertThat(refused.json().path("delivered").asBoolean()).isFalse();
    assertThat(refused.json().path("detail").asText()).isEqualTo("connection refused");

    // STARTTLS is required before a password goes out: a server without it is refused
    JsonNode plain = AlertReceivers.create(chime, receivers.emailChannel("tls-mail", "starttls"));
    Response noTls = chime.post("/api/v1/channels/" + plain.path("id").asText() + "/test", null);
    assertThat(noTls.json().path("delivered").asBoolean()).isFalse();
    assertThat(noTls.json().path("detail").asText()).contains("STARTTLS");
    JsonNode mail = AlertReceivers.create(chime, receivers.emailChannel("test-mail", "none"));
    int before = receivers.mail.getReceivedMessages().length;
    Response mailed = chime.post("/api/v1/channels/" + mail.path("id").asText() + "/test", null);
    assertThat(mailed.json().path("delivered").asBoolean()).as(mailed.raw().body()).isTrue();
    assertThat(receivers.mail.getReceivedMessages()).hasSize(before + 1);
    assertThat(receivers.mail.getReceivedMessages()[before].getSubject())
        .isEqualTo("[Chime] Test alert from Chime");
  }

  @Test
  void badChannelsAndRulesAreRefusedNamingEachField() {
    Response channel =
        chime.post(
            "/api/v1/channels",
            "{\"name\":\"bad\",\"type\":\"email\",\"to\":[\"nobody\"],\"smtp\":{\"host\":\"x y\",\"user\":\"u\"},\"color\":1}");
    assertThat(channel.status()).isEqualTo(400);
    assertThat(channel.json().path("errors").toString())
        .contains("to[0]")
        .contains("\"from\"")
        .contains("smtp.host")
        .contains("smtp.password")
        .contains("color");
    Response rule =
        chime.post(
            "/api/v1/alert-rules",
            "{\"kind\":\"failures\",\"threshold\":0,\"channels\":[\""
                + java.util.UUID.randomUUID()
                + "\"]}");
    assertThat(rule.status()).isEqualTo(400);
    assertThat(rule.json().path("errors").get(0).path("field").asText()).isEqualTo("threshold");
    Response unknownChannel =
        chime.post(
            "/api/v1/alert-rules",
            "{\"kind\":\"stuck\",\"after_s\":30,\"channels\":[\""
                + java.util.UUID.randomUUID()
                + "\"]}");
    assertThat(unknownChannel.status()).isEqualTo(400);
    assertThat(unknownChannel.json().path("errors").get(0).path("field").asText())
        .isEqualTo("channels[0]");

    // the node's address policy holds for channels as for targets: never a metadata address
    Response metadata =
        chime.post(
            "/api/v1/channels",
            "{\"name\":\"metadata\",\"type\":\"webhook\",\"url\":\"http://169.254.169.254/latest\"}");
    assertThat(metadata.status()).as(metadata.raw().body()).isEqualTo(422);
    assertThat(metadata.json().path("field").asText()).isEqualTo("url");

    JsonNode used = AlertReceivers.create(chime, receivers.slackChannel("in-use", "/in-use"));
    Response made =
        chime.post(
            "/api/v1/alert-rules",
            "{\"kind\":\"result\",\"on\":\"failure\",\"channels\":[\""
                + used.path("id").asText()
                + "\"]}");
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    assertThat(made.json().path("on").asText()).isEqualTo("failure");
    assertThat(made.json().path("schedule_id").isNull()).isTrue();
    Response refused = chime.delete("/api/v1/channels/" + used.path("id").asText());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(chime.delete("/api/v1/alert-rules/" + made.json().path("id").asText()).status())
        .isEqualTo(204);
    assertThat(chime.delete("/api/v1/channels/" + used.path("id").asText()).status())
        .isEqualTo(204);
    assertThat(chime.get("/api/v1/channels/" + used.path("id").asText()).status()).isEqualTo(404);
  }

  @Test
  void aNodeWithoutHeartbeatIsAlertedByTheOthersAndWhenItStops() {
    String hookPath = "/nodes-" + System.nanoTime();
    JsonNode hook = AlertReceivers.create(chime, receivers.webhookChannel("nodes-hook", hookPath));
    Response rule =
        chime.post(
            "/api/v1/alert-rules",
            "{\"kind\":\"stalled\",\"after_s\":1,\"channels\":[\""
                + hook.path("id").asText()
                + "\"]}");
    assertThat(rule.status()).as(rule.raw().body()).isEqualTo(201);
    assertThat(rule.json().path("after_s").asInt()).isEqualTo(1);
    try (Database db = Database.open(DATABASE)) {
      NodeStore nodes = new NodeStore(db);
      // a node that registered and then died: it never beats again
      nodes.register(
          new NodeRegistration(
              "ghost-node",
              "http://127.0.0.1:1",
              "0.1.0",
              Duration.ofMillis(100),
              Duration.ofSeconds(1)));
      await().until(() -> receivers.webhookBodies(hookPath).size() == 1);
      JsonNode stalled = receivers.webhookBodies(hookPath).get(0).path("alerts").get(0);
      assertThat(stalled.path("kind").asText()).isEqualTo("stalled");
      assertThat(stalled.path("title").asText()).isEqualTo("Node 'ghost-node' stalled");
      assertThat(stalled.path("text").asText()).contains("has written no heartbeat for");
      assertThat(stalled.path("node").path("url").asText()).endsWith("/api/v1/nodes/ghost-node");
      nodes.markStopped("ghost-node");
      await().until(() -> receivers.webhookBodies(hookPath).size() == 2);
      JsonNode stopped = receivers.webhookBodies(hookPath).get(1).path("alerts").get(0);
      assertThat(stopped.path("event").asText()).isEqualTo("resolved");
      assertThat(stopped.path("title").asText()).isEqualTo("Node 'ghost-node' stopped");
    }
    // the node this test runs is alive: told of nothing
    assertThat(receivers.webhookBodies(hookPath)).hasSize(2);
    assertThat(chime.delete("/api/v1/alert-rules/" + rule.json().path("id").asText()).status())
        .isEqualTo(204);

    // the installation's nodes are the operator's to watch
    dev.chime.server.testing.Tenants.create(chime, "team-nodes");
    String teamAdmin = dev.chime.server.testing.Tenants.token(chime, "team-nodes", "admin");
    ChimeTestNode team = chime.as(teamAdmin);
    JsonNode teamHook = AlertReceivers.create(team, receivers.slackChannel("team-hook", "/team"));
    Response refused =
        team.post(
            "/api/v1/alert-rules",
            "{\"kind\":\"stalled\",\"channels\":[\"" + teamHook.path("id").asText() + "\"]}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("field").asText()).isEqualTo("kind");
    // a tenant with channels and rules but no schedules can still be deleted
    Response teamRule =
        team.post(
            "/api/v1/alert-rules",
            "{\"kind\":\"failures\",\"channels\":[\"" + teamHook.path("id").asText() + "\"]}");
    assertThat(teamRule.status()).isEqualTo(201);
    assertThat(chime.delete("/api/v1/tenants/team-nodes").status()).isEqualTo(204);
  }

  private static List<MimeMessage> mailsAbout(String name) {
    return java.util.Arrays.stream(receivers.mail.getReceivedMessages())
        .filter(
            m -> {
              try {
                return m.getSubject().contains("'" + name + "'");
              } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  private static String schedule(String name, String path) {
    return AlertReceivers.schedule(chime, name, target.url(path).toString(), 5_000);
  }

  /** Runs the schedule now and waits for the run to end as {@code status}; answers its id. */
  private static String runAndAwait(String schedule, String status) {
    Response queued = chime.post("/api/v1/schedules/" + schedule + "/run-now", null);
    assertThat(queued.status()).isEqualTo(202);
    String run = queued.json().path("id").asText();
    await()
        .until(
            () -> chime.get("/api/v1/runs/" + run).json().path("status").asText().equals(status));
    return run;
  }
}
