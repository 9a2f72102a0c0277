package dev.chime.dispatch;

import dev.chime.run.RunOrigin;
import dev.chime.schedule.HttpTarget;
import java.util.UUID;

/**
 * The body of a call to a target whose {@code body_format} is {@code envelope}: the payload wrapped
 * in the fields a control plane's workers expect, so that they find the run they report on by
 * {@code job_run_id}. Chime's own headers go out as for any call.
 */
public final class Envelope {
  private Envelope() {}

  /** The body a call to {@code target} carries: the payload itself, or its envelope. */
  public static String body(
      HttpTarget target,
      UUID scheduleId,
      UUID runId,
      int attempt,
      RunOrigin origin,
      String payloadJson) {
    if (target.bodyFormat() != HttpTarget.BodyFormat.ENVELOPE) {
      return payloadJson;
    }
    // the ids are UUIDs and the payload is stored compact JSON: nothing here needs escaping
    return "{\"trigger_type\":\""
        + (origin == RunOrigin.SCHEDULE ? "scheduled" : "manual")
        + "\",\"schedule_id\":\""
        + scheduleId
        + "\",\"job_run_id\":\""
        + runId
        + "\",\"attempt\":"
        + attempt
        + ",\"schedule_payload\":"
        + payloadJson
        + "}";
  }
}
