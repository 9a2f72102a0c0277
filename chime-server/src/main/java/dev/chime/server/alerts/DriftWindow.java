package dev.chime.server.alerts;

import dev.chime.alert.AlertRule;
import java.time.Duration;

/**
 * The window a drift rule counts its schedule's instants in ({@code window_s}, default an hour, at
 * most 31 days: as far back as runs are kept by default).
 */
final class DriftWindow {
  static final long MAX_SECONDS = 31L * 86_400;
  private static final long DEFAULT_SECONDS = 3600;

  private DriftWindow() {}

  static Duration of(AlertRule rule) {
    long seconds = ResultFilter.params(rule).path("window_s").asLong(DEFAULT_SECONDS);
    return Duration.ofSeconds(Math.max(60, Math.min(seconds, MAX_SECONDS)));
  }
}
