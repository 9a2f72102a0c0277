package dev.chime.tenant;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The limits one tenant works within: how many schedules it may have enabled, the shortest interval
 * between two fires of one schedule, how many runs it may have in flight, and the largest payload.
 * The node's defaults (settings {@code quota.*}) apply to every tenant; a tenant's own {@link
 * Overrides} replace single values.
 */
public record Quotas(
    int maxEnabledSchedules, Duration minInterval, int maxRunning, int maxPayloadBytes) {
  public static final int MAX_ENABLED_SCHEDULES_LIMIT = 10_000_000;
  public static final int MIN_INTERVAL_S_LIMIT = 86_400;
  public static final int MAX_RUNNING_LIMIT = 1_000_000;
  public static final int MAX_PAYLOAD_BYTES_LIMIT = 16 * 1024 * 1024;

  public Quotas {
    Objects.requireNonNull(minInterval, "minInterval");
    check("maxEnabledSchedules", maxEnabledSchedules, 0, MAX_ENABLED_SCHEDULES_LIMIT);
    check("minInterval", (int) minInterval.toSeconds(), 1, MIN_INTERVAL_S_LIMIT);
    check("maxRunning", maxRunning, 1, MAX_RUNNING_LIMIT);
    check("maxPayloadBytes", maxPayloadBytes, 2, MAX_PAYLOAD_BYTES_LIMIT);
  }

  /** A tenant's own values; an empty one follows the node's default. */
  public record Overrides(
      OptionalInt maxEnabledSchedules,
      OptionalInt minIntervalSeconds,
      OptionalInt maxRunning,
      OptionalInt maxPayloadBytes) {
    public static final Overrides NONE =
        new Overrides(
            OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());

    public Overrides {
      Objects.requireNonNull(maxEnabledSchedules, "maxEnabledSchedules");
      Objects.requireNonNull(minIntervalSeconds, "minIntervalSeconds");
      Objects.requireNonNull(maxRunning, "maxRunning");
      Objects.requireNonNull(maxPayloadBytes, "maxPayloadBytes");
    }
  }

  /** These defaults with a tenant's own values put in. */
  public Quotas with(Overrides overrides) {
    return new Quotas(
        overrides.maxEnabledSchedules().orElse(maxEnabledSchedules),
        overrides.minIntervalSeconds().isPresent()
            ? Duration.ofSeconds(overrides.minIntervalSeconds().getAsInt())
            : minInterval,
        overrides.maxRunning().orElse(maxRunning),
        overrides.maxPayloadBytes().orElse(maxPayloadBytes));
  }

  /** The limit of {@code field} (a wire name such as {@code max_running}), for error messages. */
  public Optional<Integer> value(String field) {
    return switch (field) {
      case "max_enabled_schedules" -> Optional.of(maxEnabledSchedules);
      case "min_interval_s" -> Optional.of((int) minInterval.toSeconds());
      case "max_running" -> Optional.of(maxRunning);
      case "max_payload_bytes" -> Optional.of(maxPayloadBytes);
      default -> Optional.empty();
    };
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}
