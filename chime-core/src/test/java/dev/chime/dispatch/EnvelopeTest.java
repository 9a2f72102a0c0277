package dev.chime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.run.RunOrigin;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.ScheduleJson;
import dev.chime.schedule.TargetJson;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  private static final UUID SCHEDULE = UUID.fromString("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
  private static final UUID RUN = UUID.fromString("11111111-2222-4333-8444-555555555555");

  private static HttpTarget target(String format) {
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    HttpTarget target =
        TargetJson.read(
            ScheduleJson.parse(
                "{\"url\":\"http://127.0.0.1:9/run\""
                    + (format == null ? "" : ",\"body_format\":\"" + format + "\"")
                    + "}"),
            "target",
            errors);
    errors.throwIfAny();
    return target;
  }

  @Test
  void anEnvelopeTargetGetsThePayloadWrappedWithTheRunsIdentity() throws Exception {
    String body =
        Envelope.body(target("envelope"), SCHEDULE, RUN, 2, RunOrigin.SCHEDULE, "{\"a\":[1,2]}");
    JsonNode json = new ObjectMapper().readTree(body);
    assertThat(json.path("trigger_type").asText()).isEqualTo("scheduled");
    assertThat(json.path("schedule_id").asText()).isEqualTo(SCHEDULE.toString());
    assertThat(json.path("job_run_id").asText()).isEqualTo(RUN.toString());
    assertThat(json.path("attempt").asInt()).isEqualTo(2);
    assertThat(json.path("schedule_payload").toString()).isEqualTo("{\"a\":[1,2]}");
    assertThat(
            new ObjectMapper()
                .readTree(
                    Envelope.body(target("envelope"), SCHEDULE, RUN, 1, RunOrigin.MANUAL, "null"))
                .path("trigger_type")
                .asText())
        .isEqualTo("manual");
  }

  @Test
  void aPayloadTargetGetsThePayloadAsItIs() {
    assertThat(Envelope.body(target(null), SCHEDULE, RUN, 1, RunOrigin.SCHEDULE, "{\"a\":1}"))
        .isEqualTo("{\"a\":1}");
    assertThat(target("payload").bodyFormat()).isEqualTo(HttpTarget.BodyFormat.PAYLOAD);
  }

  @Test
  void theFormatIsStoredAndShownOnlyWhenItIsNotTheDefault() {
    assertThat(TargetJson.write(target(null)).has("body_format")).isFalse();
    HttpTarget envelope = TargetJson.stored(TargetJson.toStored(target("envelope")));
    assertThat(envelope.bodyFormat()).isEqualTo(HttpTarget.BodyFormat.ENVELOPE);
    assertThat(TargetJson.write(envelope).path("body_format").asText()).isEqualTo("envelope");
  }

  @Test
  void anUnknownFormatNamesTheField() {
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    TargetJson.read(
        ScheduleJson.parse("{\"url\":\"http://h/x\",\"body_format\":\"xml\"}"), "target", errors);
    assertThat(errorsText(errors)).contains("target.body_format");
  }

  private static String errorsText(ScheduleJson.Errors errors) {
    try {
      errors.throwIfAny();
      return "";
    } catch (dev.chime.InvalidInputException e) {
      return e.getMessage();
    }
  }
}
