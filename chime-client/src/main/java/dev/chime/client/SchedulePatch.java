package dev.chime.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON merge patch (RFC 7396) of a schedule: the fields set here change, the others stay. A
 * trigger or target set here replaces the whole object; use {@link #set} for a finer patch, such as
 * {@code set("trigger", {"expr": "0 10 * * *"})}.
 */
public final class SchedulePatch {
  private final ObjectNode json = JsonNodeFactory.instance.objectNode();

  private SchedulePatch() {}

  /** An empty patch. */
  public static SchedulePatch create() {
    return new SchedulePatch();
  }

  /** Renames the schedule. */
  public SchedulePatch name(String name) {
    json.put("name", name);
    return this;
  }

  /** Replaces the description. */
  public SchedulePatch description(String description) {
    json.put("description", description);
    return this;
  }

  /** Switches the schedule on or off. */
  public SchedulePatch enabled(boolean enabled) {
    json.put("enabled", enabled);
    return this;
  }

  /** Replaces the trigger. */
  public SchedulePatch trigger(Trigger trigger) {
    json.set("trigger", ChimeJson.write(trigger));
    return this;
  }

  /**
   * Replaces the target's members; headers merge by name as RFC 7396 says. A secret header given as
   * {@link HttpTarget#SECRET_MASK} keeps its value. Chime refuses a patch that turns an HTTP target
   * into a check-in or back: that takes {@link Chime#updateSchedule}.
   */
  public SchedulePatch target(Target target) {
    json.set("target", ChimeJson.write(target));
    return this;
  }

  /** Replaces the payload. */
  public SchedulePatch payload(JsonNode payload) {
    json.set("payload", payload);
    return this;
  }

  /** Removes the payload. */
  public SchedulePatch noPayload() {
    json.putNull("payload");
    return this;
  }

  /** Adds or changes one label. */
  public SchedulePatch label(String name, String value) {
    json.withObjectProperty("labels").put(name, value);
    return this;
  }

  /** Removes one label. */
  public SchedulePatch removeLabel(String name) {
    json.withObjectProperty("labels").putNull(name);
    return this;
  }

  /** Replaces the retry policy. */
  public SchedulePatch retryPolicy(RetryPolicy policy) {
    json.set("retry_policy", ChimeJson.write(policy));
    return this;
  }

  /** Sets any field to a JSON value, merged as RFC 7396 says ({@code null} removes). */
  public SchedulePatch set(String field, JsonNode value) {
    json.set(field, value);
    return this;
  }

  /** The patch as it is sent. */
  public ObjectNode json() {
    return json.deepCopy();
  }

  @Override
  public String toString() {
    return json.toString();
  }
}
