package dev.chime.client;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A schedule as Chime keeps it: the user's {@link ScheduleSpec} and where it stands.
 *
 * @param id assigned by Chime
 * @param spec what the user said
 * @param nextFireAt when it fires next; empty when disabled or done
 * @param lastFireAt the scheduled instant of its latest fire
 * @param consecutiveFailures instants in a row that ended without success
 * @param lastStatus how its latest finished attempt ended ({@code success}, {@code failed}, {@code
 *     timeout})
 * @param disabledReason why Chime disabled it by itself
 * @param createdAt when it was made
 * @param updatedAt when it was last changed
 */
public record Schedule(
    UUID id,
    ScheduleSpec spec,
    Optional<Instant> nextFireAt,
    Optional<Instant> lastFireAt,
    int consecutiveFailures,
    Optional<String> lastStatus,
    Optional<String> disabledReason,
    Instant createdAt,
    Instant updatedAt) {
  /** Checks that every part is given. */
  public Schedule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(nextFireAt, "nextFireAt");
    Objects.requireNonNull(lastFireAt, "lastFireAt");
    Objects.requireNonNull(lastStatus, "lastStatus");
    Objects.requireNonNull(disabledReason, "disabledReason");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The schedule's name. */
  public String name() {
    return spec.name();
  }

  /** Whether it fires on its own. */
  public boolean enabled() {
    return spec.enabled();
  }

  /** Its labels. */
  public Map<String, String> labels() {
    return spec.labels();
  }

  /** When it fires. */
  public Trigger trigger() {
    return spec.trigger();
  }

  /** What it calls, or the check-in it waits for. */
  public Target target() {
    return spec.target();
  }
}
