package dev.chime.server.alerts;

import dev.chime.alert.AlertRule;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A late rule's judgement of a schedule's latest fires: broken when its fires have all gone out
 * more than {@code above_ms} after their instants for {@code for_s}; well again when the latest
 * fire was on time. Only first attempts of scheduled instants count: a retry or a run asked for by
 * hand is not late.
 */
final class LateFilter {
  private LateFilter() {}

  static long forSeconds(AlertRule rule) {
    return ResultFilter.params(rule).path("for_s").asLong(300);
  }

  /** The fires that count, newest first: first attempts of scheduled instants that went out. */
  static List<Run> fires(List<Run> runs) {
    return runs.stream()
        .filter(run -> run.origin() == RunOrigin.SCHEDULE && run.attempt() == 1)
        .filter(run -> run.startedAt().isPresent() && run.status().isFinal())
        .toList();
  }

  /**
   * Since when the schedule's fires have all been late: the instant of the oldest of the latest
   * fires that were all late; empty when the latest was on time (or there is none).
   */
  static Optional<Instant> lateSince(AlertRule rule, List<Run> fires) {
    Optional<Instant> since = Optional.empty();
    for (Run fire : fires) {
      if (!late(rule, fire)) {
        break;
      }
      since = Optional.of(fire.scheduledAt());
    }
    return since;
  }

  /** Whether fires late since {@code since} have been late for the rule's while at {@code now}. */
  static boolean lateLongEnough(AlertRule rule, Instant since, Instant now) {
    return !Duration.between(since, now).minusSeconds(forSeconds(rule)).isNegative();
  }

  static long lateness(Run run) {
    return Math.max(
        0, Duration.between(run.scheduledAt(), run.startedAt().orElseThrow()).toMillis());
  }

  private static boolean late(AlertRule rule, Run run) {
    return lateness(run) > rule.threshold();
  }
}
