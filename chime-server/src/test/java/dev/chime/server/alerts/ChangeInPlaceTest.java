package dev.chime.server.alerts;

import static dev.chime.server.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.testing.TargetServer.Received;
import dev.chime.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Channels and rules changed in place with a merge patch: credentials not sent are kept and never
 * answered, the signing secret stays, every change is audited without the secrets, and bad changes
 * are refused naming the field.
 */
class ChangeInPlaceTest {
  private static final Map<String, String> BY_HAND = Map.of("CHIME_ALERTS_POLL_MS", "600000");
  private static final String MERGE = "application/merge-patch+json";

  @Test
  void aWebhookChannelMovesToAnotherUrlKeepingItsHeaderAndSigningSecret() {
    try (AlertReceivers receivers = new AlertReceivers();
        ChimeTestNode chime = ChimeTestNode.start(TestDatabases.h2(), Clock.systemUTC(), BY_HAND)) {
      JsonNode made = AlertReceivers.create(chime, receivers.webhookChannel("ops-hook", "/first"));
      String id = made.path("id").asText();
      String signingSecret = made.path("signing_secret").asText();

      Response moved =
          patch(
              chime,
              "/api/v1/channels/" + id,
              "{\"url\":\"" + receivers.hooks.url("/second") + "?token=new-url-token\"}");
      assertThat(moved.status()).as(moved.raw().body()).isEqualTo(200);
      assertThat(moved.json().path("url").asText()).endsWith("/****");
      assertThat(moved.json().path("headers").path("Authorization").asText()).isEqualTo("****");
      assertThat(moved.json().path("signing_secret").asText()).isEqualTo("****");
      assertThat(moved.raw().body()).doesNotContain("new-url-token").doesNotContain("hook-");

      assertThat(chime.post("/api/v1/channels/" + id + "/test", null).json().path("delivered"))
          .isEqualTo(com.fasterxml.jackson.databind.node.BooleanNode.TRUE);
      assertThat(receivers.hooks.received("/first")).isEmpty();
      Received call = receivers.hooks.received("/second").get(0);
      assertThat(call.header("Authorization")).isEqualTo("Bearer hook-header-secret");
      assertThat(call.header("webhook-signature"))
          .isEqualTo(
              WebhookSigner.sign(
                  signingSecret,
                  call.header("webhook-id"),
                  Long.parseLong(call.header("webhook-timestamp")),
                  call.body().getBytes(StandardCharsets.UTF_8)));

      Response headers =
          patch(
              chime,
              "/api/v1/channels/" + id,
              "{\"name\":\"ops-hook-2\",\"headers\":{\"Authorization\":null,\"X-Team\":\"ops\"}}");
      assertThat(headers.status()).as(headers.raw().body()).isEqualTo(200);
      assertThat(headers.json().path("name").asText()).isEqualTo("ops-hook-2");
      assertThat(headers.json().path("headers").has("Authorization")).isFalse();
      chime.post("/api/v1/channels/" + id + "/test", null);
      Received again = receivers.hooks.received("/second").get(1);
      assertThat(again.header("Authorization")).isNull();
      assertThat(again.header("X-Team")).isEqualTo("ops");

      String audit = chime.get("/api/v1/audit?object_id=" + id).raw().body();
      assertThat(audit)
          .contains("channel.update")
          .doesNotContain("new-url-token")
          .doesNotContain("hook-header-secret")
          .doesNotContain(signingSecret);
    }
  }

  @Test
  void anEmailChannelKeepsItsPasswordWhenOnlyItsPortChanges() {
    try (AlertReceivers receivers = new AlertReceivers();
        ChimeTestNode chime = ChimeTestNode.start(TestDatabases.h2(), Clock.systemUTC(), BY_HAND)) {
      String body = receivers.emailChannel("ops-mail", "none");
      int port = receivers.mail.getSmtp().getPort();
      JsonNode made = AlertReceivers.create(chime, body.replace("\"port\":" + port, "\"port\":9"));
      String id = made.path("id").asText();
      assertThat(chime.post("/api/v1/channels/" + id + "/test", null).json().path("delivered"))
          .isEqualTo(com.fasterxml.jackson.databind.node.BooleanNode.FALSE);

      Response changed =
          patch(chime, "/api/v1/channels/" + id, "{\"smtp\":{\"port\":" + port + "}}");
      assertThat(changed.status()).as(changed.raw().body()).isEqualTo(200);
      assertThat(changed.json().path("smtp").path("password").asText()).isEqualTo("****");
      assertThat(changed.raw().body()).doesNotContain(AlertReceivers.SMTP_PASSWORD);
      JsonNode tested = chime.post("/api/v1/channels/" + id + "/test", null).json();
      assertThat(tested.path("delivered").asBoolean()).as(tested.toString()).isTrue();
      assertThat(receivers.mail.getReceivedMessages()).hasSize(1);
    }
  }

  @Test
  void badChangesOfAChannelAreRefusedNamingTheField() {
    try (AlertReceivers receivers = new AlertReceivers();
        ChimeTestNode chime = ChimeTestNode.start(TestDatabases.h2(), Clock.systemUTC(), BY_HAND)) {
      String id =
          AlertReceivers.create(chime, receivers.slackChannel("ops-slack", "/slack"))
              .path("id")
              .asText();
      AlertReceivers.create(chime, receivers.slackChannel("taken", "/taken"));
      String path = "/api/v1/channels/" + id;

      assertProblem(patch(chime, path, "{\"type\":\"webhook\"}"), 400, "type", "cannot be changed");
      assertProblem(
          patch(chime, path, "{\"url\":\"ftp://example.com/x\"}"),
          400,
          "url",
          "must be an http or https URL");
      assertProblem(
          patch(chime, path, "{\"headers\":{\"A\":\"b\"}}"), 400, "headers", "unknown field");
      assertThat(patch(chime, path, "{\"name\":\"taken\"}").status()).isEqualTo(409);
      assertThat(patch(chime, path, "{\"url\":\"http://169.254.169.254/latest\"}").status())
          .isEqualTo(422);
      assertThat(patch(chime, "/api/v1/channels/" + UUID.randomUUID(), "{}").status())
          .isEqualTo(404);
      assertThat(chime.get(path).json().path("name").asText()).isEqualTo("ops-slack");
    }
  }

  @Test
  void aRuleChangesItsThresholdAndChannelsButNotItsKindOrSchedule() {
    try (AlertReceivers receivers = new AlertReceivers();
        ChimeTestNode chime = ChimeTestNode.start(TestDatabases.h2(), Clock.systemUTC(), BY_HAND)) {
      String first =
          AlertReceivers.create(chime, receivers.slackChannel("one", "/one")).path("id").asText();
      String second =
          AlertReceivers.create(chime, receivers.slackChannel("two", "/two")).path("id").asText();
      String schedule = AlertReceivers.schedule(chime, "nightly", "http://127.0.0.1:9/x", 1000);
      Response made =
          chime.post(
              "/api/v1/alert-rules",
              "{\"kind\":\"failures\",\"schedule_id\":\""
                  + schedule
                  + "\",\"channels\":[\""
                  + first
                  + "\"]}");
      String path = "/api/v1/alert-rules/" + made.json().path("id").asText();

      Response changed =
          patch(
              chime, path, "{\"threshold\":5,\"enabled\":false,\"channels\":[\"" + second + "\"]}");
      assertThat(changed.status()).as(changed.raw().body()).isEqualTo(200);
      assertThat(changed.json().path("threshold").asInt()).isEqualTo(5);
      assertThat(changed.json().path("enabled").asBoolean()).isFalse();
      assertThat(changed.json().path("channels").get(0).asText()).isEqualTo(second);
      assertThat(changed.json().path("schedule_id").asText()).isEqualTo(schedule);
      assertThat(changed.json().path("created_at")).isEqualTo(made.json().path("created_at"));
      assertThat(chime.get(path).json()).isEqualTo(changed.json());

      assertProblem(patch(chime, path, "{\"kind\":\"stuck\"}"), 400, "kind", "cannot be changed");
      assertProblem(
          patch(chime, path, "{\"schedule_id\":null}"), 400, "schedule_id", "cannot be changed");
      assertProblem(patch(chime, path, "{\"threshold\":0}"), 400, "threshold", "1");
      assertProblem(patch(chime, path, "{\"after_s\":10}"), 400, "after_s", "unknown field");
      assertProblem(
          patch(chime, path, "{\"channels\":[\"" + UUID.randomUUID() + "\"]}"),
          400,
          "channels[0]",
          "the tenant has no channel");
      assertThat(chime.get(path).json().path("threshold").asInt()).isEqualTo(5);
      assertThat(
              chime
                  .get("/api/v1/audit?object_id=" + path.substring(path.lastIndexOf('/') + 1))
                  .raw()
                  .body())
          .contains("alert-rule.update");
    }
  }

  private static Response patch(ChimeTestNode chime, String path, String body) {
    return chime.send("PATCH", path, body, MERGE);
  }
}
