package dev.chime.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Specs to JSON and back: defaults filled in, every bad field named. */
class ChimeJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void aShortDocumentTakesTheDefaults() throws Exception {
    ScheduleSpec spec =
        ChimeJson.readSpec(
            MAPPER.readTree(
                "{\"name\":\"n\",\"trigger\":{\"type\":\"cron\",\"expr\":\"@daily\"},"
                    + "\"target\":{\"url\":\"http://x/\"}}"));
    assertThat(spec)
        .isEqualTo(
            ScheduleSpec.builder("n", Trigger.cron("@daily"), HttpTarget.post("http://x/"))
                .build());
    assertThat(ChimeJson.writeCompact(spec).toString())
        .isEqualTo(
            "{\"name\":\"n\",\"trigger\":{\"type\":\"cron\",\"expr\":\"@daily\",\"timezone\":\"UTC\"},"
                + "\"target\":{\"url\":\"http://x/\"}}");
    assertThat(ChimeJson.readSpec(ChimeJson.write(spec))).isEqualTo(spec);
  }

  @Test
  void everyPartSurvivesTheRoundTrip() throws Exception {
    ScheduleSpec spec =
        ScheduleSpec.builder(
                "full",
                Trigger.once(Instant.parse("2030-01-01T00:00:00Z")),
                HttpTarget.post("https://example.com/h").withMethod("put").withHeader("X-A", "b"))
            .description("d")
            .enabled(false)
            .label("team", "ops")
            .payload(MAPPER.readTree("{\"a\":[1,2.5,null,true]}"))
            .retryPolicy(new RetryPolicy.Backoff(4, java.util.List.of(5, 10)))
            .catchupWindowS(60)
            .maxConcurrency(3)
            .overlapPolicy(OverlapPolicy.CANCEL_RUNNING)
            .autoDisableAfter(7)
            .build();
    assertThat(ChimeJson.readSpec(ChimeJson.write(spec))).isEqualTo(spec);
    assertThat(ChimeJson.readSpec(ChimeJson.writeCompact(spec))).isEqualTo(spec);
  }

  @Test
  void everyBadFieldIsNamed() throws Exception {
    assertThat(
            errorsOf(
                "{\"nmae\":\"x\",\"enabled\":\"yes\",\"trigger\":{\"type\":\"weekly\"},"
                    + "\"target\":{\"url\":\"http://x\",\"timeout\":5},\"id\":\"ignored\"}"))
        .containsExactlyInAnyOrder(
            "nmae: unknown field",
            "name: missing",
            "enabled: must be true or false",
            "trigger.type: must be cron, interval or once; got 'weekly'",
            "target.timeout: unknown field");
  }

  @Test
  void everyTargetShapeSurvivesTheRoundTrip() throws Exception {
    String file =
        "{\"name\":\"s\",\"trigger\":{\"type\":\"cron\",\"expr\":\"@daily\",\"timezone\":\"UTC\"},"
            + "\"target\":{\"url\":\"http://x/\",\"headers\":{\"X-A\":\"b\","
            + "\"Authorization\":{\"value\":\"****\",\"secret\":true},"
            + "\"X-Plain\":{\"value\":\"p\",\"secret\":false}},\"body_format\":\"envelope\"}}";
    ScheduleSpec spec = ChimeJson.readSpec(MAPPER.readTree(file));
    assertThat(spec.target())
        .isEqualTo(
            HttpTarget.post("http://x/")
                .withHeader("X-A", "b")
                .withSecretHeader("Authorization", HttpTarget.SECRET_MASK)
                .withHeader("X-Plain", "p")
                .withBodyFormat(HttpTarget.BodyFormat.ENVELOPE));
    assertThat(ChimeJson.readSpec(ChimeJson.write(spec))).isEqualTo(spec);
    assertThat(ChimeJson.readSpec(ChimeJson.writeCompact(spec))).isEqualTo(spec);
    assertThat(ChimeJson.writeCompact(spec).path("target").toString())
        .isEqualTo(
            "{\"url\":\"http://x/\",\"headers\":{\"X-A\":\"b\",\"X-Plain\":\"p\","
                + "\"Authorization\":{\"value\":\"****\",\"secret\":true}},\"body_format\":\"envelope\"}");

    ScheduleSpec checkin =
        ScheduleSpec.builder("c", Trigger.cron("@daily"), CheckinTarget.create()).build();
    assertThat(ChimeJson.writeCompact(checkin).path("target").toString())
        .isEqualTo("{\"type\":\"checkin\"}");
    assertThat(ChimeJson.readSpec(ChimeJson.write(checkin))).isEqualTo(checkin);
    assertThat(ChimeJson.readSpec(ChimeJson.writeCompact(checkin))).isEqualTo(checkin);
  }

  @Test
  void aBadTargetShapeIsNamed() throws Exception {
    assertThat(
            errorsOf(
                "{\"name\":\"x\",\"trigger\":{\"type\":\"cron\",\"expr\":\"@daily\"},"
                    + "\"target\":{\"url\":\"http://x\",\"body_format\":\"xml\",\"headers\":{"
                    + "\"A\":{\"secret\":true,\"sealed\":\"x\"},\"B\":[1]}}}"))
        .containsExactlyInAnyOrder(
            "target.body_format: unknown body format 'xml'; one of payload, envelope",
            "target.headers.A.sealed: unknown field",
            "target.headers.A.value: missing",
            "target.headers.B: must be a string, or {\"value\": \"...\", \"secret\":" + " true}");
    assertThat(
            errorsOf(
                "{\"name\":\"x\",\"trigger\":{\"type\":\"cron\",\"expr\":\"@daily\"},"
                    + "\"target\":{\"type\":\"checkin\",\"grace_s\":0,\"url\":\"http://x\"}}"))
        .containsExactlyInAnyOrder(
            "target.url: unknown field",
            "target.grace_s: a check-in's grace must be at least 1 s, got 0");
  }

  /** The errors of reading {@code json} as a spec, each as {@code field: reason}. */
  private static java.util.List<String> errorsOf(String json) throws Exception {
    try {
      ChimeJson.readSpec(MAPPER.readTree(json));
    } catch (InvalidSpecException e) {
      return e.errors().stream().map(FieldError::toString).toList();
    }
    throw new AssertionError("read without an error: " + json);
  }
}
