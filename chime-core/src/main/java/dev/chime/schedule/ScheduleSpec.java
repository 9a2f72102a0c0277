package dev.chime.schedule;

import java.util.Objects;

/**
 * What a user says about a schedule: everything a create or a full update carries. The payload is
 * kept as compact JSON text, exactly what goes out as the request body.
 */
public record ScheduleSpec(
    String name,
    String description,
    boolean enabled,
    Trigger trigger,
    HttpTarget target,
    String payloadJson,
    RunPolicy policy) {
  public ScheduleSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(payloadJson, "payloadJson");
    Objects.requireNonNull(policy, "policy");
  }

  public ScheduleSpec withEnabled(boolean value) {
    return new ScheduleSpec(name, description, value, trigger, target, payloadJson, policy);
  }
}
