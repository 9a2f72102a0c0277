package dev.chime.schedule;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

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
    RunPolicy policy,
    SortedMap<String, String> labels) {
  public ScheduleSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(payloadJson, "payloadJson");
    Objects.requireNonNull(policy, "policy");
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }

  /** A spec without labels. */
  public ScheduleSpec(
      String name,
      String description,
      boolean enabled,
      Trigger trigger,
      HttpTarget target,
      String payloadJson,
      RunPolicy policy) {
    this(name, description, enabled, trigger, target, payloadJson, policy, new TreeMap<>());
  }

  public ScheduleSpec withEnabled(boolean value) {
    return new ScheduleSpec(name, description, value, trigger, target, payloadJson, policy, labels);
  }
}
