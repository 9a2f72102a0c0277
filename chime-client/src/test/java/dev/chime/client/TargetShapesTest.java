package dev.chime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.testing.TargetServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every shape of target Chime answers with, made through the raw API, read by the client and sent
 * back unchanged: secret headers, check-ins and the envelope body.
 */
class TargetShapesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static ChimeTestNode node;
  private static TargetServer target;
  private static Chime chime;

  @BeforeAll
  static void start() {
    node = ChimeTestNode.start();
    target = new TargetServer();
    chime = Chime.create(node.url("").toString(), ChimeTestNode.ADMIN_TOKEN);
  }

  @AfterAll
  static void stop() {
    chime.close();
    target.close();
    node.close();
  }

  private static UUID made(String name, String targetJson) {
    ChimeTestNode.Response made =
        node.post(
            "/api/v1/schedules",
            "{\"name\":\""
                + name
                + "\",\"trigger\":{\"type\":\"interval\",\"seconds\":3600},\"target\":"
                + targetJson
                + "}");
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    return UUID.fromString(made.json().path("id").asText());
  }

  private static TargetServer.Received firedOnce(UUID id, String path) {
    int before = target.received(path).size();
    chime.runNow(id);
    await().atMost(Duration.ofSeconds(10)).until(() -> target.received(path).size() > before);
    return target.received(path).get(before);
  }

  @Test
  void aSecretHeaderReadsMaskedAndAPutOfItKeepsTheStoredValue() {
    String url = target.url("/secret").toString();
    UUID id =
        made(
            "shape-secret",
            "{\"url\":\""
                + url
                + "\",\"headers\":{\"X-Team\":\"ops\","
                + "\"Authorization\":{\"value\":\"Bearer s3cr3t\",\"secret\":true}}}");

    Schedule read = chime.getSchedule(id);
    HttpTarget http = (HttpTarget) read.target();
    assertThat(http.headers()).containsExactly(Map.entry("X-Team", "ops"));
    assertThat(http.secretHeaders())
        .containsExactly(Map.entry("Authorization", HttpTarget.SECRET_MASK));
    assertThat(chime.listSchedules(ScheduleQuery.all().withName("shape-secret")).toList())
        .containsExactly(read);

    // the spec as read goes back as it is: Chime keeps the secret it holds
    Schedule updated =
        chime.updateSchedule(id, read.spec().toBuilder().description("put back").build());
    assertThat(updated.target()).isEqualTo(http);
    assertThat(firedOnce(id, "/secret").header("Authorization")).isEqualTo("Bearer s3cr3t");

    // a new value replaces it, and is shown masked too
    Schedule replaced =
        chime.updateSchedule(
            id,
            read.spec().toBuilder()
                .target(http.withSecretHeader("Authorization", "Bearer n3w"))
                .build());
    assertThat(replaced.target()).isEqualTo(http);
    assertThat(firedOnce(id, "/secret").header("Authorization")).isEqualTo("Bearer n3w");
    assertThat(http.withSecretHeader("Authorization", "Bearer n3w").toString())
        .doesNotContain("n3w");
  }

  @Test
  void aCheckinReadsAsACheckinAndWritesBack() {
    UUID id = made("shape-checkin", "{\"type\":\"checkin\",\"grace_s\":900}");

    Schedule read = chime.getSchedule(id);
    assertThat(read.target()).isEqualTo(new CheckinTarget(900));
    assertThat(ChimeJson.write(read.target()).toString())
        .isEqualTo("{\"type\":\"checkin\",\"grace_s\":900}");
    assertThat(chime.updateSchedule(id, read.spec()).target()).isEqualTo(new CheckinTarget(900));

    // a patch changes its grace; a PUT turns it into an HTTP target and back
    assertThat(
            chime
                .patchSchedule(
                    id, SchedulePatch.create().target(Target.checkin(Duration.ofMinutes(10))))
                .target())
        .isEqualTo(new CheckinTarget(600));
    HttpTarget http = HttpTarget.post(target.url("/was").toString());
    assertThat(chime.updateSchedule(id, read.spec().toBuilder().target(http).build()).target())
        .isEqualTo(http);
    assertThat(chime.updateSchedule(id, read.spec()).target()).isEqualTo(new CheckinTarget(900));
  }

  @Test
  void theEnvelopeBodyFormatSurvivesAPutAndAPatch() throws Exception {
    String url = target.url("/envelope").toString();
    UUID id = made("shape-envelope", "{\"url\":\"" + url + "\",\"body_format\":\"envelope\"}");

    Schedule read = chime.getSchedule(id);
    assertThat(read.target())
        .isEqualTo(HttpTarget.post(url).withBodyFormat(HttpTarget.BodyFormat.ENVELOPE));
    Schedule updated =
        chime.updateSchedule(
            id,
            read.spec().toBuilder().payload(MAPPER.readTree("{\"export\":\"orders\"}")).build());
    assertThat(updated.target()).isEqualTo(read.target());
    assertThat(MAPPER.readTree(firedOnce(id, "/envelope").body()).path("schedule_payload"))
        .isEqualTo(MAPPER.readTree("{\"export\":\"orders\"}"));

    Schedule plain =
        chime.patchSchedule(
            id,
            SchedulePatch.create()
                .target(
                    ((HttpTarget) read.target()).withBodyFormat(HttpTarget.BodyFormat.PAYLOAD)));
    assertThat(((HttpTarget) plain.target()).bodyFormat()).isEqualTo(HttpTarget.BodyFormat.PAYLOAD);
  }

  @Test
  void theClientMakesEveryShapeItself() {
    Schedule made =
        chime.createSchedule(
            ScheduleSpec.builder(
                    "shape-by-client",
                    Trigger.cron("30 2 * * *", "Europe/Berlin"),
                    Target.checkin(Duration.ofSeconds(120)))
                .build());
    assertThat(made.target()).isEqualTo(new CheckinTarget(120));

    HttpTarget secret =
        HttpTarget.post(target.url("/by-client").toString())
            .withHeader("X-Team", "ops")
            .withSecretHeader("X-Api-Key", "k3y")
            .withBodyFormat(HttpTarget.BodyFormat.ENVELOPE);
    Schedule http = chime.updateSchedule(made.id(), made.spec().toBuilder().target(secret).build());
    assertThat(http.target())
        .isEqualTo(secret.withSecretHeader("X-Api-Key", HttpTarget.SECRET_MASK));
    assertThat(firedOnce(made.id(), "/by-client").header("X-Api-Key")).isEqualTo("k3y");
  }
}
