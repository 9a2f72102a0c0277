package dev.chime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

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
    assertThatThrownBy(
            () ->
                ChimeJson.readSpec(
                    MAPPER.readTree(
                        "{\"nmae\":\"x\",\"enabled\":\"yes\",\"trigger\":{\"type\":\"weekly\"},"
                            + "\"target\":{\"url\":\"http://x\",\"timeout\":5},\"id\":\"ignored\"}")))
        .asInstanceOf(type(InvalidSpecException.class))
        .satisfies(
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::toString)
                    .containsExactlyInAnyOrder(
                        "nmae: unknown field",
                        "name: missing",
                        "enabled: must be true or false",
                        "trigger.type: must be cron, interval or once; got 'weekly'",
                        "target.timeout: unknown field"));
  }
}
