package dev.chime.server.api;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static dev.chime.server.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.chime.dispatch.WebhookSignature;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TargetServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Safe outgoing calls through the real API, on each database: real fires verified by the Standard
 * Webhooks reference library, signing secrets rotated, secret headers sent but stored sealed, and
 * targets refused by the address policy at create and at the call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OutgoingContractTest {
  private ChimeTestNode chime;
  private TargetServer target;
  private DatabaseSettings database;

  abstract DatabaseSettings database();

  @BeforeAll
  void start() {
    database = database();
    target = new TargetServer();
    chime = ChimeTestNode.start(database, Clock.systemUTC(), Map.of());
  }

  @AfterAll
  void stop() {
    chime.close();
    target.close();
  }

  @Test
  void aRealFireIsSignedSoThatTheReferenceLibraryVerifiesIt() throws Exception {
    String secret = rotate(0).get("secret").asText();
    String path = "/signed-" + System.nanoTime();
    created(
        schedule("signed-" + System.nanoTime(), interval(1), target(target.url(path).toString())));

    await().atMost(Duration.ofSeconds(10)).until(() -> !target.received(path).isEmpty());

    TargetServer.Received call = target.received(path).get(0);
    new Webhook(secret).verify(call.body(), signatureHeaders(call));
    assertThat(call.header("webhook-id"))
        .isEqualTo(WebhookSignature.messageId(call.header("Idempotency-Key")));
    assertThat(Long.parseLong(call.header("webhook-timestamp")))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30L));
    JsonNode listed = chime.get("/api/v1/signing-secrets").json().get("items");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("secret").asText())
        .isEqualTo("whsec_****" + secret.substring(secret.length() - 4));
    assertThat(listed.get(0).get("state").asText()).isEqualTo("current");
    assertThat(listed.get(0).get("expires_at").isNull()).isTrue();
  }

  @Test
  void everyAttemptAtOneFireHasTheSameWebhookId() {
    rotate(0);
    String path = "/retried-" + System.nanoTime();
    target.answer(
        r ->
            r.path().equals(path) && r.header("Chime-Attempt").equals("1")
                ? TargetServer.Answer.status(503)
                : TargetServer.Answer.ok());
    String id =
        created(
            "{\"name\":\"retried-"
                + System.nanoTime()
                + "\",\"trigger\":"
                + interval(3600)
                + ",\"target\":"
                + target(target.url(path).toString())
                + ",\"retry_policy\":{\"max_attempts\":2,\"backoff\":[1]}}");

    chime.post("/api/v1/schedules/" + id + "/run-now", null);

    await().atMost(Duration.ofSeconds(15)).until(() -> target.received(path).size() >= 2);
    List<TargetServer.Received> calls = target.received(path);
    assertThat(calls.get(1).header("webhook-id")).isEqualTo(calls.get(0).header("webhook-id"));
    assertThat(calls.get(1).header("webhook-timestamp")).isNotNull();
  }

  @Test
  void duringARotationBothSecretsSignThenOnlyTheNewOne() {
    String first = rotate(0).get("secret").asText();
    JsonNode rotated = rotate(-1);
    String second = rotated.get("secret").asText();
    assertThat(rotated.get("grace_s").asLong()).isEqualTo(86_400);
    JsonNode items = chime.get("/api/v1/signing-secrets").json().get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("state").asText()).isEqualTo("retiring");
    assertThat(Instant.parse(items.get(0).get("expires_at").asText()))
        .isBetween(Instant.now().plusSeconds(86_000), Instant.now().plusSeconds(86_401));
    String path = "/rotating-" + System.nanoTime();
    String id =
        created(
            schedule(
                "rotating-" + System.nanoTime(),
                interval(3600),
                target(target.url(path).toString())));

    TargetServer.Received during = callAfterRunNow(id, path);

    assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
    verifies(first, during);
    verifies(second, during);

    String third = rotate(0).get("secret").asText();
    TargetServer.Received after = callAfterRunNow(id, path);
    assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
    verifies(third, after);
    assertThatThrownBy(() -> new Webhook(second).verify(after.body(), signatureHeaders(after)))
        .isInstanceOf(WebhookVerificationException.class);
    assertThat(chime.get("/api/v1/signing-secrets").json().get("items")).hasSize(1);
  }

  @Test
  void signingSecretsAreStoredSealed() throws Exception {
    String secret = rotate(0).get("secret").asText();

    List<String> stored = column("SELECT sealed FROM signing_secrets");

    assertThat(stored).isNotEmpty().allSatisfy(s -> assertThat(s).startsWith("v1."));
    assertThat(String.join(" ", stored)).doesNotContain(secret.substring(6));
  }

  @Test
  void aSecretHeaderGoesOutButIsStoredSealedAndShownMasked() throws Exception {
    String token = "Bearer s3cr3t-" + System.nanoTime();
    String path = "/secret-" + System.nanoTime();
    Response created =
        chime.post(
            "/api/v1/schedules",
            schedule(
                "secret-" + System.nanoTime(),
                interval(3600),
                "{\"url\":\""
                    + target.url(path)
                    + "\",\"headers\":{\"X-Team\":\"ops\",\"Authorization\":{\"value\":\""
                    + token
                    + "\",\"secret\":true}}}"));
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();
    JsonNode headers = created.json().get("target").get("headers");
    assertThat(headers.get("X-Team").asText()).isEqualTo("ops");
    assertThat(headers.get("Authorization").toString())
        .isEqualTo("{\"value\":\"****\",\"secret\":true}");
    assertThat(chime.get("/api/v1/schedules/" + id).raw().body()).doesNotContain("s3cr3t");
    // sealing the secret keeps the rest of the schedule: its labels too
    assertThat(
            chime
                .patch("/api/v1/schedules/" + id, "{\"labels\":{\"team\":\"ops\"}}")
                .json()
                .at("/labels/team")
                .asText())
        .isEqualTo("ops");
    assertThat(column("SELECT target_json FROM schedules WHERE id = '" + id + "'"))
        .singleElement()
        .satisfies(json -> assertThat(json).doesNotContain("s3cr3t").contains("\"sealed\":\"v1."));

    assertThat(callAfterRunNow(id, path).header("Authorization")).isEqualTo(token);

    // the schedule as read, sent back whole: the mask keeps the stored secret
    JsonNode read = chime.get("/api/v1/schedules/" + id).json();
    ((com.fasterxml.jackson.databind.node.ObjectNode) read).put("description", "changed");
    assertThat(chime.put("/api/v1/schedules/" + id, read.toString()).status()).isEqualTo(200);
    assertThat(callAfterRunNow(id, path).header("Authorization")).isEqualTo(token);

    Response patched =
        chime.patch(
            "/api/v1/schedules/" + id,
            "{\"target\":{\"headers\":{\"Authorization\":{\"value\":\"Bearer renewed\"}}}}");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(
            patched.json().get("target").get("headers").get("Authorization").get("value").asText())
        .isEqualTo("****");
    assertThat(callAfterRunNow(id, path).header("Authorization")).isEqualTo("Bearer renewed");

    assertProblem(
        chime.patch(
            "/api/v1/schedules/" + id,
            "{\"target\":{\"headers\":{\"X-Other\":{\"value\":\"****\",\"secret\":true}}}}"),
        400,
        "target.headers.X-Other",
        "sends the mask **** to keep a stored secret, but this schedule has no secret header"
            + " X-Other; send its value");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fd00:ec2::254]/",
        "http://2852039166/",
        "http://0xa9fea9fe/",
        "http://metadata.google.internal/computeMetadata/v1/"
      })
  void aTargetThePolicyRefusesIsRefusedAtCreateNamingTheUrl(String url) {
    Response response =
        chime.post(
            "/api/v1/schedules",
            schedule("refused-" + System.nanoTime(), interval(60), target(url)));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("type").asText())
        .isEqualTo("urn:chime:problem:target-forbidden");
    assertThat(response.json().get("field").asText()).isEqualTo("target.url");
    assertThat(response.json().get("errors").get(0).get("reason").asText()).contains("never calls");
  }

  @Test
  void aTenantAllowListRefusesAtCreateAndAtTheCall() {
    String path = "/listed-" + System.nanoTime();
    String id =
        created(
            schedule(
                "listed-" + System.nanoTime(),
                interval(3600),
                target(target.url(path).toString())));
    try {
      Response put =
          chime.put(
              "/api/v1/target-policy", "{\"allow\":[\"api.example.com\",\"*.svc.internal\"]}");
      assertThat(put.status()).isEqualTo(200);
      assertThat(put.json().get("allow").toString())
          .isEqualTo("[\"api.example.com\",\"*.svc.internal\"]");
      assertThat(put.json().get("global").get("always_refused").toString())
          .contains("169.254.0.0/16");

      Response refused =
          chime.post(
              "/api/v1/schedules",
              schedule(
                  "off-list-" + System.nanoTime(),
                  interval(60),
                  target(target.url(path).toString())));
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.json().get("errors").get(0).get("reason").asText())
          .contains("is not on this tenant's target allow-list");

      String runId =
          chime.post("/api/v1/schedules/" + id + "/run-now", null).json().get("id").asText();
      await()
          .until(
              () ->
                  !chime
                      .get("/api/v1/runs/" + runId)
                      .json()
                      .get("status")
                      .asText()
                      .matches("queued|running"));
      JsonNode run = chime.get("/api/v1/runs/" + runId).json();
      assertThat(run.get("status").asText()).isEqualTo("failed");
      assertThat(run.get("error_code").asText()).isEqualTo("target_forbidden");
      assertThat(run.get("error_message").asText())
          .startsWith("not called: the address 127.0.0.1")
          .contains("allow-list");
      assertThat(target.received(path)).isEmpty();

      assertProblem(
          chime.put("/api/v1/target-policy", "{\"allow\":[\"ok.example\",\"10.0.0.0/33\"]}"),
          400,
          "allow[1]",
          "is not an address block such as 10.1.0.0/16 or fd12::/48");
    } finally {
      assertThat(chime.put("/api/v1/target-policy", "{\"allow\":[]}").status()).isEqualTo(200);
    }
  }

  private TargetServer.Received callAfterRunNow(String scheduleId, String path) {
    int before = target.received(path).size();
    String runId =
        chime.post("/api/v1/schedules/" + scheduleId + "/run-now", null).json().get("id").asText();
    await().atMost(Duration.ofSeconds(10)).until(() -> target.received(path).size() > before);
    TargetServer.Received call = target.received(path).get(before);
    assertThat(call.header("Chime-Run-Id")).isEqualTo(runId);
    return call;
  }

  private static void verifies(String secret, TargetServer.Received call) {
    try {
      new Webhook(secret).verify(call.body(), signatureHeaders(call));
    } catch (WebhookVerificationException e) {
      throw new AssertionError("the call does not verify with the secret: " + e.getMessage(), e);
    }
  }

  private static Map<String, List<String>> signatureHeaders(TargetServer.Received call) {
    return Map.of(
        "webhook-id", List.of(call.header("webhook-id")),
        "webhook-timestamp", List.of(call.header("webhook-timestamp")),
        "webhook-signature", List.of(call.header("webhook-signature")));
  }

  /** Rotates the signing secret; {@code graceS} below 0 takes the configured grace. */
  private JsonNode rotate(long graceS) {
    Response response =
        graceS < 0
            ? chime.post("/api/v1/signing-secrets/rotate", null)
            : chime.post("/api/v1/signing-secrets/rotate", "{\"grace_s\":" + graceS + "}");
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    return response.json();
  }

  private String created(String body) {
    Response response = chime.post("/api/v1/schedules", body);
    assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
    return response.json().get("id").asText();
  }

  private List<String> column(String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
