package dev.chime.server.api;

import static dev.chime.server.testing.Json.cron;
import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.once;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static dev.chime.server.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.testing.TestDatabases;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input gets a problem+json answer naming the field and the limit, and nothing is
 * written. The node runs with the default minimum interval (10 s) and a small payload cap so both
 * limits are tested as an operator would set them.
 */
class BadInputTest {
  private static final String HOOK = "http://127.0.0.1:9/hook";
  private static ChimeTestNode chime;

  @BeforeAll
  static void start() {
    chime =
        ChimeTestNode.start(
            TestDatabases.h2(),
            Clock.systemUTC(),
            Map.of("CHIME_QUOTA_MIN_INTERVAL_S", "10", "CHIME_QUOTA_MAX_PAYLOAD_BYTES", "1024"));
  }

  @AfterAll
  static void stop() {
    chime.close();
  }

  static Stream<Arguments> badSchedules() {
    return Stream.of(
        Arguments.of(
            "unknown time zone",
            schedule("a", cron("0 9 * * *", "Mars/Olympus"), target(HOOK)),
            "trigger.timezone",
            "unknown time zone 'Mars/Olympus'"),
        Arguments.of(
            "cron value out of range, with its position",
            schedule("a", cron("0 25 * * *", "UTC"), target(HOOK)),
            "trigger.expr",
            "hour field at position 2: 25 is out of range 0-23"),
        Arguments.of(
            "cron with a wrong number of fields",
            schedule("a", cron("0 9 * *", "UTC"), target(HOOK)),
            "trigger.expr",
            "found 4 fields, expected 5"),
        Arguments.of(
            "once in the past",
            schedule("a", once("2020-01-01T00:00:00Z"), target(HOOK)),
            "trigger.at",
            "is in the past"),
        Arguments.of(
            "once without an offset",
            schedule("a", once("2030-01-01T00:00:00"), target(HOOK)),
            "trigger.at",
            "ISO-8601 instant with an offset"),
        Arguments.of(
            "unknown trigger type",
            schedule("a", "{\"type\":\"weekly\"}", target(HOOK)),
            "trigger.type",
            "must be cron, interval or once"),
        Arguments.of(
            "non-http URL",
            schedule("a", interval(60), target("ftp://example.com/file")),
            "target.url",
            "must be an http or https URL; got scheme 'ftp'"),
        Arguments.of(
            "URL without a host",
            schedule("a", interval(60), target("http:///path")),
            "target.url",
            "must name a host"),
        Arguments.of(
            "unknown top-level field",
            "{\"name\":\"a\",\"trigger\":"
                + interval(60)
                + ",\"target\":"
                + target(HOOK)
                + ",\"colour\":\"red\"}",
            "colour",
            "unknown field"),
        Arguments.of(
            "unknown trigger field",
            schedule("a", "{\"type\":\"interval\",\"seconds\":60,\"jitter\":3}", target(HOOK)),
            "trigger.jitter",
            "unknown field"),
        Arguments.of(
            "missing name",
            "{\"trigger\":" + interval(60) + ",\"target\":" + target(HOOK) + "}",
            "name",
            "is required"),
        Arguments.of(
            "name too long",
            schedule("n".repeat(201), interval(60), target(HOOK)),
            "name",
            "at most 200 characters, got 201"),
        Arguments.of(
            "timeout over the limit",
            schedule("a", interval(60), "{\"url\":\"" + HOOK + "\",\"timeout_ms\":700000}"),
            "target.timeout_ms",
            "from 1 to 600000, got 700000"),
        Arguments.of(
            "a header Chime sets itself",
            schedule(
                "a",
                interval(60),
                "{\"url\":\"" + HOOK + "\",\"headers\":{\"Idempotency-Key\":\"mine\"}}"),
            "target.headers.Idempotency-Key",
            "set by Chime"),
        Arguments.of(
            "the attempt header Chime sets itself",
            schedule(
                "a",
                interval(60),
                "{\"url\":\"" + HOOK + "\",\"headers\":{\"chime-attempt\":\"9\"}}"),
            "target.headers.chime-attempt",
            "set by Chime"),
        Arguments.of(
            "a retry policy with both forms",
            withPolicy("\"retry_policy\":{\"max_attempts\":3,\"backoff\":[10],\"initial_s\":5}"),
            "retry_policy",
            "either a backoff list or initial_s"),
        Arguments.of(
            "too many attempts",
            withPolicy("\"retry_policy\":{\"max_attempts\":50}"),
            "retry_policy.max_attempts",
            "from 1 to 20, got 50"),
        Arguments.of(
            "a backoff wait of zero",
            withPolicy("\"retry_policy\":{\"max_attempts\":3,\"backoff\":[30,0]}"),
            "retry_policy.backoff[1]",
            "from 1 to 86400"),
        Arguments.of(
            "an unknown overlap policy",
            withPolicy("\"overlap_policy\":\"pile_up\""),
            "overlap_policy",
            "skip, queue_one, allow or cancel_running"),
        Arguments.of(
            "a negative catch-up window",
            withPolicy("\"catchup_window_s\":-1"),
            "catchup_window_s",
            "from 0 to 604800, got -1"),
        Arguments.of(
            "max_concurrency zero",
            withPolicy("\"max_concurrency\":0"),
            "max_concurrency",
            "from 1 to 100, got 0"),
        Arguments.of(
            "an async timeout of zero",
            withPolicy("\"target\":{\"url\":\"http://127.0.0.1:9/x\",\"async_timeout_s\":0}"),
            "target.async_timeout_s",
            "from 1 to 604800, got 0"),
        Arguments.of(
            "an unsupported method",
            schedule("a", interval(60), "{\"url\":\"" + HOOK + "\",\"method\":\"TRACE\"}"),
            "target.method",
            "must be one of"),
        Arguments.of(
            "a body that is not JSON", "{\"name\": \"a\",", "body", "is not valid JSON at line 1"),
        Arguments.of(
            "a duplicate key",
            "{\"name\":\"a\",\"name\":\"b\"}",
            "body",
            "Duplicate field 'name'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSchedules")
  void aBadScheduleIs400NamingTheFieldAndNothingIsWritten(
      String what, String body, String field, String reason) {
    int before = count();

    Response response = chime.post("/api/v1/schedules", body);

    assertThat(response.status()).as(response.raw().body()).isEqualTo(400);
    assertProblem(response, 400, field, reason);
    assertThat(count()).isEqualTo(before);
  }

  static Stream<Arguments> overTheLimits() {
    return Stream.of(
        Arguments.of(
            "interval under the tenant's minimum",
            schedule("a", interval(5), target(HOOK)),
            "trigger.seconds",
            "must be at least 10 (the minimum interval, min_interval_s), got 5"),
        Arguments.of(
            "a cron that fires more often than the tenant's minimum",
            schedule("a", cron("* * * * * *", "UTC"), target(HOOK)),
            "trigger.expr",
            "fires as often as every 1 s; the minimum interval (min_interval_s) is 10 s"),
        Arguments.of(
            "a cron whose closest fires are under the minimum only once a day",
            schedule("a", cron("0,5 30 9 * * *", "UTC"), target(HOOK)),
            "trigger.expr",
            "fires as often as every 5 s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overTheLimits")
  void aScheduleOverTheTenantsLimitsIs422NamingTheLimitAndNothingIsWritten(
      String what, String body, String field, String reason) {
    int before = count();

    Response response = chime.post("/api/v1/schedules", body);

    assertProblem(response, 422, field, reason);
    assertThat(response.json().path("limit").asText()).isEqualTo("min_interval_s");
    assertThat(response.json().path("value").asInt()).isEqualTo(10);
    assertThat(count()).isEqualTo(before);
  }

  @Test
  void aPayloadOverTheTenantsCapIs422NamingTheLimit() {
    String payload = "{\"data\":\"" + "x".repeat(2000) + "\"}";
    int before = count();

    Response response =
        chime.post("/api/v1/schedules", schedule("big", interval(60), target(HOOK), payload));

    assertProblem(response, 422, "payload", "the limit (max_payload_bytes) is 1024 bytes");
    assertThat(response.json().path("limit").asText()).isEqualTo("max_payload_bytes");
    assertThat(count()).isEqualTo(before);
  }

  @Test
  void aBodyOverTheCapIs413() {
    Response response =
        chime.post("/api/v1/schedules", "{\"name\":\"" + "x".repeat(40 * 1024) + "\"}");

    assertThat(response.status()).isEqualTo(413);
    assertProblem(response, 413, "body", "the limit is");
  }

  @Test
  void aHugeBodyIs413NamingTheBody() {
    // as curl sends a body over 1 MB: the 413 comes on the Content-Length, before the body is
    // sent. Sent without asking, a body this large is refused unread, and the connection may be
    // reset before the client reads the answer (failed once in a full run); bodies up to 1 MB are
    // read first and always get their answer (aBodyOverTheCapIs413)
    Response response =
        chime.send(
            "POST",
            "/api/v1/schedules",
            "{\"name\":\"" + "x".repeat(2_000_000) + "\"}",
            "application/json",
            Map.of("Expect", "100-continue"));

    assertThat(response.status()).isEqualTo(413);
    assertProblem(response, 413, "body", "the limit is");
  }

  @Test
  void aBodyDeclaredOverTheServersCapIs413BeforeItIsSent() throws IOException {
    // a client that names a 5 MB body and sends none of it is answered at once, not waited for
    try (Socket socket = new Socket("127.0.0.1", chime.url("/").getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /api/v1/schedules HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Authorization: Bearer "
                      + ChimeTestNode.ADMIN_TOKEN
                      + "\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();

      assertThat(statusLine).startsWith("HTTP/1.1 413 ");
    }
  }

  @Test
  void aDuplicateNameIs409AndTheFirstScheduleIsUntouched() {
    Response first = chime.post("/api/v1/schedules", schedule("twice", interval(60), target(HOOK)));
    Response second =
        chime.post("/api/v1/schedules", schedule("twice", interval(120), target(HOOK)));

    assertThat(second.status()).isEqualTo(409);
    assertProblem(second, 409, "name", "a schedule named 'twice' already exists");
    String id = first.json().get("id").asText();
    assertThat(chime.get("/api/v1/schedules/" + id).json().get("trigger").get("seconds").asInt())
        .isEqualTo(60);
  }

  @Test
  void aBadUpdateLeavesTheScheduleAsItWas() {
    Response created =
        chime.post("/api/v1/schedules", schedule("keep-me", interval(60), target(HOOK)));
    String id = created.json().get("id").asText();

    Response put =
        chime.put("/api/v1/schedules/" + id, schedule("keep-me", interval(1), target(HOOK)));
    Response patch =
        chime.patch("/api/v1/schedules/" + id, "{\"trigger\":{\"timezone\":\"Nowhere/Land\"}}");

    assertThat(put.status()).isEqualTo(422);
    assertThat(patch.status()).isEqualTo(400);
    assertThat(chime.get("/api/v1/schedules/" + id).json()).isEqualTo(created.json());
  }

  @Test
  void aScheduleThatATightenedLimitNoLongerAcceptsCanStillBeDisabled() {
    var database = TestDatabases.h2();
    String id;
    try (ChimeTestNode loose =
        ChimeTestNode.start(
            database, Clock.systemUTC(), Map.of("CHIME_QUOTA_MIN_INTERVAL_S", "1"))) {
      id =
          loose
              .post("/api/v1/schedules", schedule("fast", interval(2), target(HOOK)))
              .json()
              .get("id")
              .asText();
    }
    try (ChimeTestNode strict =
        ChimeTestNode.start(
            database, Clock.systemUTC(), Map.of("CHIME_QUOTA_MIN_INTERVAL_S", "10"))) {
      assertThat(strict.post("/api/v1/schedules/" + id + "/disable", null).status()).isEqualTo(200);
      assertProblem(
          strict.post("/api/v1/schedules/" + id + "/enable", null),
          422,
          "trigger.seconds",
          "at least 10");
      assertThat(strict.get("/api/v1/schedules/" + id).json().get("enabled").asBoolean()).isFalse();
    }
  }

  @Test
  void badQueryParametersAreNamed() {
    assertProblem(chime.get("/api/v1/schedules?limit=0"), 400, "limit", "from 1 to 500");
    assertProblem(chime.get("/api/v1/schedules?enabled=maybe"), 400, "enabled", "true or false");
    assertProblem(chime.get("/api/v1/schedules?cursor=garbage"), 400, "cursor", "not a cursor");
    assertProblem(chime.get("/api/v1/cron/preview"), 400, "expr", "is required");
    assertProblem(
        chime.get("/api/v1/cron/preview?expr=0%209%20*%20*%20*&timezone=Utopia"),
        400,
        "timezone",
        "unknown time zone");
    assertProblem(
        chime.get("/api/v1/cron/preview?expr=0%209%20*%20*%20*&count=1000"),
        400,
        "count",
        "from 1 to 100");
  }

  /** A valid schedule with {@code fields} (JSON members) added or, for target, replaced. */
  private static String withPolicy(String fields) {
    String base =
        fields.startsWith("\"target\"")
            ? "{\"name\":\"a\",\"trigger\":" + interval(60) + ","
            : "{\"name\":\"a\",\"trigger\":" + interval(60) + ",\"target\":" + target(HOOK) + ",";
    return base + fields + "}";
  }

  private static int count() {
    return chime.get("/api/v1/schedules?limit=500").json().get("items").size();
  }
}
