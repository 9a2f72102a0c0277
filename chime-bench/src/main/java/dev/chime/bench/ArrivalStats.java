package dev.chime.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the target received for the fires expected in a window: how many, how late, what came twice
 * and what never came. Calls are matched to expected fires by their {@code Idempotency-Key}; the
 * lateness is receive time minus {@code Chime-Scheduled-At} of first attempts, in milliseconds.
 */
record ArrivalStats(
    long expected,
    long received,
    long calls,
    long unexpected,
    long callsReceivedInWindow,
    Percentiles lateness,
    long repeatedAttempts,
    long keysUnderManyRuns,
    long attemptsUnderManyRuns,
    long gaps,
    List<String> gapExamples,
    Set<String> receivedRunIds,
    Optional<Long> firstArrivalMillis,
    Optional<Long> lastArrivalMillis,
    List<Long> worstBySecond) {

  private static final int GAP_EXAMPLES = 5;

  static ArrivalStats of(
      Set<String> expectedKeys, List<Arrival> arrivals, Instant windowStart, Instant windowEnd) {
    Map<String, Integer> byAttempt = new HashMap<>();
    Map<String, Map<String, Integer>> runsByKey = new HashMap<>();
    Set<String> receivedRunIds = new HashSet<>();
    List<Long> lateness = new ArrayList<>();
    // the latest first attempt of each second of the window, by scheduled instant: where the
    // percentiles say that fires were late, this says whether it was one stall or all along
    int seconds = (int) Math.max(0, Duration.between(windowStart, windowEnd).toSeconds());
    long[] worst = new long[seconds];
    Arrays.fill(worst, Long.MIN_VALUE);
    long calls = 0;
    long unexpected = 0;
    long inWindow = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Arrival arrival : arrivals) {
      long received = arrival.receivedMillis();
      if (received >= windowStart.toEpochMilli() && received < windowEnd.toEpochMilli()) {
        inWindow++;
      }
      String key = normalized(arrival.idempotencyKey());
      if (!expectedKeys.contains(key)) {
        Optional<Instant> at = arrival.scheduledInstant();
        if (at.isPresent() && !at.get().isBefore(windowStart) && at.get().isBefore(windowEnd)) {
          unexpected++;
        }
        continue;
      }
      calls++;
      first = Math.min(first, received);
      last = Math.max(last, received);
      byAttempt.merge(key + "#" + arrival.attempt(), 1, Integer::sum);
      runsByKey.computeIfAbsent(key, k -> new HashMap<>()).put(arrival.runId(), arrival.attempt());
      receivedRunIds.add(arrival.runId());
      if (arrival.attempt() == 1) {
        Optional<Instant> at = arrival.scheduledInstant();
        if (at.isPresent()) {
          long late = received - at.get().toEpochMilli();
          lateness.add(late);
          long second = Duration.between(windowStart, at.get()).toSeconds();
          if (second >= 0 && second < seconds) {
            worst[(int) second] = Math.max(worst[(int) second], late);
          }
        }
      }
    }
    long repeated = byAttempt.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
    long manyRuns = runsByKey.values().stream().filter(runs -> runs.size() > 1).count();
    // each retry is a run of its own: only two runs for one attempt are a duplicate start
    long attemptManyRuns =
        runsByKey.values().stream()
            .filter(runs -> new HashSet<>(runs.values()).size() < runs.size())
            .count();
    List<String> gapExamples = new ArrayList<>();
    long gaps = 0;
    for (String key : expectedKeys) {
      if (!runsByKey.containsKey(key)) {
        gaps++;
        if (gapExamples.size() < GAP_EXAMPLES) {
          gapExamples.add(key);
        }
      }
    }
    return new ArrivalStats(
        expectedKeys.size(),
        runsByKey.size(),
        calls,
        unexpected,
        inWindow,
        Percentiles.of(lateness.stream().mapToLong(Long::longValue).toArray()),
        repeated,
        manyRuns,
        attemptManyRuns,
        gaps,
        gapExamples,
        receivedRunIds,
        calls == 0 ? Optional.empty() : Optional.of(first),
        calls == 0 ? Optional.empty() : Optional.of(last),
        Arrays.stream(worst).boxed().map(w -> w == Long.MIN_VALUE ? null : w).toList());
  }

  double deliveredPercent() {
    return expected == 0 ? 0 : 100.0 * received / expected;
  }

  /** Calls received during the window, per second of it. */
  double achievedRate(Duration window) {
    return callsReceivedInWindow * 1000.0 / Math.max(1, window.toMillis());
  }

  /**
   * Chime's run key {@code <schedule-id>@<instant>} with the instant in {@link Instant#toString}
   * form, so that a key matches its expected fire whatever precision the header was written in.
   */
  static String normalized(String key) {
    int at = key.indexOf('@');
    if (at < 0) {
      return key;
    }
    try {
      return key.substring(0, at + 1) + Instant.parse(key.substring(at + 1));
    } catch (DateTimeParseException e) {
      return key;
    }
  }
}
