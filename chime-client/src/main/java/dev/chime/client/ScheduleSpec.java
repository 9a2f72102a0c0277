package dev.chime.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a user says about a schedule: what to call, when, and its policies. This is the body of a
 * create and of an update (PUT); {@link Schedule} adds what Chime keeps. Values left out of the
 * {@linkplain #builder builder} take Chime's defaults, so two specs are equal when Chime would
 * store the same schedule.
 *
 * @param name unique in the tenant
 * @param description free text, empty when none
 * @param enabled whether it fires on its own
 * @param labels such as {@code team=billing}; lists and bulk actions select by them
 * @param trigger when it fires
 * @param target what it calls, or the check-in it waits for
 * @param payload the JSON body of each call; empty for none
 * @param retryPolicy how failed fires are tried again
 * @param catchupWindowS how late, in seconds, a fire missed during downtime may still go out
 * @param maxConcurrency runs in flight at once before {@code overlapPolicy} applies
 * @param overlapPolicy what an instant does beyond {@code maxConcurrency}
 * @param autoDisableAfter disable after this many failed instants in a row; empty for never
 */
public record ScheduleSpec(
    String name,
    String description,
    boolean enabled,
    Map<String, String> labels,
    Trigger trigger,
    Target target,
    Optional<JsonNode> payload,
    RetryPolicy retryPolicy,
    int catchupWindowS,
    int maxConcurrency,
    OverlapPolicy overlapPolicy,
    OptionalInt autoDisableAfter) {
  /** Chime's default catch-up window: 15 minutes. */
  public static final int DEFAULT_CATCHUP_WINDOW_S = 900;

  /** Checks that every part is given and copies the labels (keeping their order). */
  public ScheduleSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(overlapPolicy, "overlapPolicy");
    Objects.requireNonNull(autoDisableAfter, "autoDisableAfter");
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    if (payload.isPresent() && payload.get().isNull()) {
      payload = Optional.empty();
    }
  }

  /** A spec with Chime's defaults for everything but its name, trigger and target. */
  public static Builder builder(String name, Trigger trigger, Target target) {
    return new Builder(name, trigger, target);
  }

  /** A builder that starts from this spec. */
  public Builder toBuilder() {
    Builder builder =
        new Builder(name, trigger, target)
            .description(description)
            .enabled(enabled)
            .labels(labels)
            .retryPolicy(retryPolicy)
            .catchupWindowS(catchupWindowS)
            .maxConcurrency(maxConcurrency)
            .overlapPolicy(overlapPolicy);
    payload.ifPresent(builder::payload);
    autoDisableAfter.ifPresent(builder::autoDisableAfter);
    return builder;
  }

  /** Builds a {@link ScheduleSpec}; every setter replaces what was set before. */
  public static final class Builder {
    private String name;
    private Trigger trigger;
    private Target target;
    private String description = "";
    private boolean enabled = true;
    private Map<String, String> labels = new LinkedHashMap<>();
    private Optional<JsonNode> payload = Optional.empty();
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private int catchupWindowS = DEFAULT_CATCHUP_WINDOW_S;
    private int maxConcurrency = 1;
    private OverlapPolicy overlapPolicy = OverlapPolicy.SKIP;
    private OptionalInt autoDisableAfter = OptionalInt.empty();

    private Builder(String name, Trigger trigger, Target target) {
      this.name = name;
      this.trigger = trigger;
      this.target = target;
    }

    /** Another name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Another trigger. */
    public Builder trigger(Trigger trigger) {
      this.trigger = trigger;
      return this;
    }

    /** Another target. */
    public Builder target(Target target) {
      this.target = target;
      return this;
    }

    /** Free text. */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** Whether it fires on its own; {@code true} unless set. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Replaces every label. */
    public Builder labels(Map<String, String> labels) {
      this.labels = new LinkedHashMap<>(labels);
      return this;
    }

    /** Adds or replaces one label. */
    public Builder label(String name, String value) {
      this.labels.put(name, value);
      return this;
    }

    /** The JSON body of each call. */
    public Builder payload(JsonNode payload) {
      this.payload = Optional.of(payload);
      return this;
    }

    /** No body. */
    public Builder noPayload() {
      this.payload = Optional.empty();
      return this;
    }

    /** How failed fires are tried again. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /** How late a fire missed during downtime may still go out, in seconds. */
    public Builder catchupWindowS(int seconds) {
      this.catchupWindowS = seconds;
      return this;
    }

    /** How late a fire missed during downtime may still go out. */
    public Builder catchupWindow(Duration window) {
      return catchupWindowS(Math.toIntExact(window.toSeconds()));
    }

    /** Runs in flight at once. */
    public Builder maxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /** What an instant does beyond {@code maxConcurrency}. */
    public Builder overlapPolicy(OverlapPolicy overlapPolicy) {
      this.overlapPolicy = overlapPolicy;
      return this;
    }

    /** Disable after this many failed instants in a row. */
    public Builder autoDisableAfter(int failures) {
      this.autoDisableAfter = OptionalInt.of(failures);
      return this;
    }

    /** Never disable by itself (the default). */
    public Builder neverAutoDisable() {
      this.autoDisableAfter = OptionalInt.empty();
      return this;
    }

    /** The spec. */
    public ScheduleSpec build() {
      return new ScheduleSpec(
          name,
          description,
          enabled,
          labels,
          trigger,
          target,
          payload,
          retryPolicy,
          catchupWindowS,
          maxConcurrency,
          overlapPolicy,
          autoDisableAfter);
    }
  }
}
