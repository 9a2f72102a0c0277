package dev.chime.server.api;

import static dev.chime.server.testing.Json.cron;
import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.once;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static dev.chime.server.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.DatabaseSettings;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input through the real HTTP API, on each database: every case is answered with a
 * problem+json naming the field and the limit in a user's terms, and nothing is stored or changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileInputContractTest {
  private static final String HOOK = "http://127.0.0.1:9/hook";
  private static final String JSON = "application/json";
  private static final String SCHEDULES = "/api/v1/schedules";
  private static final String FIXTURE = "/api/v1/schedules/{fixture}";

  private ChimeTestNode chime;
  private String fixturePath;

  abstract DatabaseSettings database();

  @BeforeAll
  void start() {
    chime =
        ChimeTestNode.start(
            database(), Clock.systemUTC(), Map.of("CHIME_QUOTA_MIN_INTERVAL_S", "10"));
    Response fixture =
        chime.post(
            SCHEDULES,
            "{\"name\":\"fixture\",\"enabled\":false,\"trigger\":"
                + interval(60)
                + ",\"target\":"
                + target(HOOK)
                + "}");
    assertThat(fixture.status()).as(fixture.raw().body()).isEqualTo(201);
    fixturePath = SCHEDULES + "/" + fixture.json().path("id").asText();
  }

  @AfterAll
  void stop() {
    chime.close();
  }

  /** method, path, body, content type, status, field, what the reason says. */
  static Stream<Arguments> hostileInputs() {
    return Stream.of(
        create(
            "999 nested arrays in the payload",
            withPayload(nested(999)),
            400,
            "body",
            "more than 32 levels deep"),
        create(
            "33 nested arrays in the payload",
            withPayload(nested(32)),
            400,
            "body",
            "the limit is 32"),
        create("NUL in a name", named("a\\u0000b"), 400, "name", "NUL (U+0000)"),
        create("a bell in a name", named("a\\u0007b"), 400, "name", "control character U+0007"),
        create("a line break in a name", named("a\\nb"), 400, "name", "tab or line break"),
        create(
            "a lone surrogate in a name",
            named("a\\ud800b"),
            400,
            "name",
            "half of a UTF-16 surrogate pair"),
        create(
            "201 characters beyond U+FFFF in a name",
            named("\\ud83d\\ude00".repeat(201)),
            400,
            "name",
            "at most 200 characters, got 201"),
        create(
            "NUL in a description",
            "{\"name\":\"d\",\"description\":\"a\\u0000b\",\"trigger\":"
                + interval(60)
                + ",\"target\":"
                + target(HOOK)
                + "}",
            400,
            "description",
            "NUL (U+0000)"),
        create(
            "a lone surrogate in the payload",
            withPayload("{\"k\":\"\\udc00\"}"),
            400,
            "payload.k",
            "half of a UTF-16 surrogate pair"),
        create(
            "once in the year 300000",
            schedule("y", once("+300000-01-01T00:00:00Z"), target(HOOK)),
            400,
            "trigger.at",
            "the year 9999 or before; got year 300000"),
        create(
            "once in the year 10000",
            schedule("y", once("+10000-01-01T00:00:00Z"), target(HOOK)),
            400,
            "trigger.at",
            "year 10000"),
        create(
            "a URL with port 99999",
            schedule("p", interval(60), target("http://127.0.0.1:99999/x")),
            400,
            "target.url",
            "port 99999; a port is from 1 to 65535"),
        create(
            "a non-ASCII header value",
            withHeader("X-Team", "caf\\u00e9"),
            400,
            "target.headers.X-Team",
            "printable ASCII"),
        create(
            "a header value with a line break",
            withHeader("X-Team", "a\\r\\nX-Evil: 1"),
            400,
            "target.headers.X-Team",
            "one line"),
        create(
            "a header name with a space",
            withHeader("X Team", "ops"),
            400,
            "target.headers.X Team",
            "not a valid header name"),
        create(
            "the Host header",
            withHeader("Host", "example.com"),
            400,
            "target.headers.Host",
            "managed by the HTTP client"),
        create(
            "the Expect header",
            withHeader("Expect", "100-continue"),
            400,
            "target.headers.Expect",
            "managed by the HTTP client"),
        create(
            "a cron firing every second",
            schedule("c", cron("* * * * * *", "UTC"), target(HOOK)),
            422,
            "trigger.expr",
            "the minimum interval (min_interval_s) is 10 s"),
        create(
            "enabled: null",
            "{\"name\":\"n\",\"enabled\":null,\"trigger\":"
                + interval(60)
                + ",\"target\":"
                + target(HOOK)
                + "}",
            400,
            "enabled",
            "cannot be null"),
        create(
            "timezone: null",
            schedule(
                "n", "{\"type\":\"cron\",\"expr\":\"0 9 * * *\",\"timezone\":null}", target(HOOK)),
            400,
            "trigger.timezone",
            "cannot be null"),
        create(
            "trailing garbage after the JSON value",
            schedule("t", interval(60), target(HOOK)) + " garbage",
            400,
            "body",
            "has more after its JSON value"),
        create(
            "two JSON values",
            schedule("t", interval(60), target(HOOK)) + schedule("u", interval(60), target(HOOK)),
            400,
            "body",
            "send exactly one JSON value"),
        create(
            "a number of 2000 digits",
            withPayload("1".repeat(2000)),
            400,
            "body",
            "is not valid JSON"),
        create("an unclosed object", "{\"name\":\"a\"", 400, "body", "is not valid JSON at line 1"),
        Arguments.of(
            "text/plain",
            "POST",
            SCHEDULES,
            schedule("m", interval(60), target(HOOK)),
            "text/plain",
            415,
            "Content-Type",
            "accepts application/json"),
        Arguments.of(
            "a form post",
            "POST",
            SCHEDULES,
            "name=x",
            "application/x-www-form-urlencoded",
            415,
            "Content-Type",
            "accepts application/json"),
        Arguments.of(
            "no Content-Type with a body",
            "POST",
            SCHEDULES,
            schedule("m", interval(60), target(HOOK)),
            null,
            415,
            "Content-Type",
            "is missing"),
        Arguments.of(
            "JSON in Latin-1",
            "POST",
            SCHEDULES,
            schedule("m", interval(60), target(HOOK)),
            "application/json; charset=iso-8859-1",
            415,
            "Content-Type",
            "UTF-8 only"),
        Arguments.of(
            "PATCH enabled: null",
            "PATCH",
            FIXTURE,
            "{\"enabled\":null}",
            JSON,
            400,
            "enabled",
            "cannot be null"),
        Arguments.of(
            "PATCH name: null",
            "PATCH",
            FIXTURE,
            "{\"name\":null}",
            JSON,
            400,
            "name",
            "cannot be null"),
        Arguments.of(
            "PATCH target.method: null",
            "PATCH",
            FIXTURE,
            "{\"target\":{\"method\":null}}",
            JSON,
            400,
            "target.method",
            "cannot be null"),
        Arguments.of(
            "PATCH a NUL name",
            "PATCH",
            FIXTURE,
            "{\"name\":\"x\\u0000\"}",
            JSON,
            400,
            "name",
            "NUL (U+0000)"),
        Arguments.of(
            "PATCH as text/plain",
            "PATCH",
            FIXTURE,
            "{\"enabled\":true}",
            "text/plain",
            415,
            "Content-Type",
            "application/merge-patch+json or application/json"),
        Arguments.of(
            "PUT a port of 0",
            "PUT",
            FIXTURE,
            schedule("fixture", interval(60), target("http://127.0.0.1:0/x")),
            JSON,
            400,
            "target.url",
            "port 0"),
        Arguments.of(
            "NUL in a query parameter",
            "GET",
            SCHEDULES + "?name=%00",
            null,
            null,
            400,
            "name",
            "NUL (U+0000)"),
        Arguments.of(
            "a cron preview with a NUL",
            "GET",
            "/api/v1/cron/preview?expr=%00",
            null,
            null,
            400,
            "expr",
            "NUL (U+0000)"),
        Arguments.of(
            "%00 in the path", "GET", SCHEDULES + "/%00", null, null, 400, "uri", "such as %00"),
        Arguments.of(
            "a 10 KB URI",
            "GET",
            SCHEDULES + "?name=" + "a".repeat(10_000),
            null,
            null,
            414,
            "uri",
            "8192 bytes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileInputs")
  void hostileInputIsAProblemNamingTheFieldAndChangesNothing(
      String what,
      String method,
      String path,
      String body,
      String contentType,
      int status,
      String field,
      String reason) {
    JsonNode before = everything();

    Response response = chime.send(method, path.replace(FIXTURE, fixturePath), body, contentType);

    assertProblem(response, status, field, reason);
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  void oversizedHeadersAre431AsProblemJson() {
    Response response = chime.sendWithHeader("GET", SCHEDULES, "X-Big", "b".repeat(20_000));

    assertProblem(response, 431, "headers", "8192 bytes for the request line and all headers");
  }

  @Test
  void headOfAMissingScheduleIs404LikeGet() {
    String missing = SCHEDULES + "/00000000-0000-4000-8000-000000000000";

    assertThat(chime.send("HEAD", missing, null, null).status()).isEqualTo(404);
    assertThat(chime.send("HEAD", fixturePath, null, null).status()).isEqualTo(200);
  }

  @Test
  void aPayloadNestedToTheLimitIsStoredAndReadBack() {
    Response created =
        chime.post(SCHEDULES, schedule("deep", interval(60), target(HOOK), nested(31)));

    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(chime.get(SCHEDULES + "?limit=500").status()).isEqualTo(200);
    assertThat(chime.get(created.header("Location")).json().path("payload"))
        .isEqualTo(created.json().path("payload"));
    assertThat(chime.delete(created.header("Location")).status()).isEqualTo(204);
  }

  /**
   * 200 emoji are 200 characters: PostgreSQL and MariaDB store them; H2 counts them as 400 UTF-16
   * units and its column holds 200, which is said as bad input rather than a database failure.
   */
  @Test
  void aNameOf200CharactersBeyondTheBasicPlaneIsStoredOrRefusedInPlainWords() {
    JsonNode before = everything();
    Response created = chime.send("POST", SCHEDULES, named("\\ud83d\\ude00".repeat(200)), JSON);

    if (database().url().startsWith("jdbc:h2:")) {
      assertProblem(
          created, 400, "name", "the embedded H2 database counts each character beyond U+FFFF");
      assertThat(everything()).isEqualTo(before);
    } else {
      assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
      String name = created.json().path("name").asText();
      assertThat(name.codePointCount(0, name.length())).isEqualTo(200);
      assertThat(chime.get(created.header("Location")).json().path("name").asText())
          .isEqualTo(name);
      assertThat(chime.delete(created.header("Location")).status()).isEqualTo(204);
    }
  }

  @Test
  void aPatchSentAsPlainJsonIsAMergePatchToo() {
    Response patched =
        chime.send("PATCH", fixturePath, "{\"description\":\"line one\\nline two\"}", JSON);

    assertThat(patched.status()).as(patched.raw().body()).isEqualTo(200);
    assertThat(patched.json().path("description").asText()).isEqualTo("line one\nline two");
    assertThat(patched.json().path("enabled").asBoolean()).isFalse();
  }

  private JsonNode everything() {
    return chime.get(SCHEDULES + "?limit=500").json();
  }

  private static Arguments create(
      String what, String body, int status, String field, String reason) {
    return Arguments.of(what, "POST", SCHEDULES, body, JSON, status, field, reason);
  }

  private static String named(String name) {
    return schedule(name, interval(60), target(HOOK));
  }

  private static String withPayload(String payload) {
    return schedule("p", interval(60), target(HOOK), payload);
  }

  private static String withHeader(String name, String value) {
    return schedule(
        "h",
        interval(60),
        "{\"url\":\"" + HOOK + "\",\"headers\":{\"" + name + "\":\"" + value + "\"}}");
  }

  /** A JSON array nested {@code depth} levels: [[[...]]]. */
  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }
}
