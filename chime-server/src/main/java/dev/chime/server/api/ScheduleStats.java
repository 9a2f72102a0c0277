package dev.chime.server.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunStatus;
import dev.chime.schedule.IntervalTrigger;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A schedule's health over a window, from its runs: how many fired, how they ended, how long they
 * took and how late they went out, why they failed, and its drift — instants its trigger asked for
 * in the window that were not sent (skipped as an overlap or as missed, or never recorded), so a
 * schedule whose runs outlast its interval shows as thinning out instead of doing so silently.
 */
final class ScheduleStats {
  /** The most runs one window reads. */
  static final int MAX_RUNS = 20_000;

  /** The most instants of the trigger one window counts. */
  static final int MAX_EXPECTED = 100_000;

  /** Instants younger than this are not yet expected to be on record. */
  static final Duration SETTLE = Duration.ofSeconds(10);

  private ScheduleStats() {}

  static ObjectNode of(Schedule schedule, List<Run> runs, Instant from, Instant to) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("schedule_id", schedule.id().toString());
    node.put("from", from.toString());
    node.put("to", to.toString());
    node.put("window_s", Duration.between(from, to).toSeconds());
    node.put("truncated", runs.size() >= MAX_RUNS);
    node.put("runs", runs.size());
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> reasons = new TreeMap<>();
    List<Long> durations = new ArrayList<>();
    List<Long> lateness = new ArrayList<>();
    Set<Instant> sent = new HashSet<>();
    int fires = 0;
    int manual = 0;
    int success = 0;
    int ended = 0;
    int skippedOverlap = 0;
    int skippedMissed = 0;
    for (Run run : runs) {
      byStatus.merge(run.status().wireName(), 1, Integer::sum);
      boolean scheduledFirst = run.origin() == RunOrigin.SCHEDULE && run.attempt() == 1;
      if (run.origin() == RunOrigin.MANUAL && run.attempt() == 1) {
        manual++;
      }
      if (run.status() == RunStatus.SKIPPED) {
        if (run.errorCode().orElse("").equals("overlap")) {
          skippedOverlap++;
        } else {
          skippedMissed++;
        }
        continue;
      }
      if (scheduledFirst) {
        fires++;
        sent.add(run.scheduledAt());
        run.startedAt()
            .ifPresent(
                started ->
                    lateness.add(
                        Math.max(0, Duration.between(run.scheduledAt(), started).toMillis())));
      }
      if (run.status() == RunStatus.SUCCESS
          || run.status() == RunStatus.FAILED
          || run.status() == RunStatus.TIMEOUT) {
        ended++;
        if (run.status() == RunStatus.SUCCESS) {
          success++;
        } else {
          reasons.merge(run.errorCode().orElse(run.status().wireName()), 1, Integer::sum);
        }
        run.durationMs().ifPresent(durations::add);
      }
    }
    node.put("fires", fires);
    node.put("manual", manual);
    ObjectNode statuses = node.putObject("by_status");
    byStatus.forEach(statuses::put);
    if (ended > 0) {
      node.put("success_rate", Math.round(10_000.0 * success / ended) / 10_000.0);
    } else {
      node.putNull("success_rate");
    }
    node.set("duration_ms", percentiles(durations));
    node.set("lateness_ms", percentiles(lateness));
    var failures = node.putArray("failure_reasons");
    reasons.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .forEach(
            e -> failures.addObject().put("error_code", e.getKey()).put("count", e.getValue()));
    node.set("drift", drift(schedule, sent, skippedOverlap, skippedMissed, from, to));
    return node;
  }

  /**
   * The trigger's instants since the later of the window's start and the schedule's last change
   * (before it the trigger may have been another), up to a moment ago, against those sent.
   */
  private static ObjectNode drift(
      Schedule schedule,
      Set<Instant> sent,
      int skippedOverlap,
      int skippedMissed,
      Instant from,
      Instant to) {
    ObjectNode drift = JsonNodeFactory.instance.objectNode();
    Instant since = from.isAfter(schedule.updatedAt()) ? from : schedule.updatedAt();
    Instant until = to.minus(SETTLE);
    List<Instant> expected =
        schedule.spec().enabled() ? instants(schedule, since, until) : List.of();
    List<Instant> missing = new ArrayList<>();
    int hit = 0;
    for (Instant at : expected) {
      if (sent.contains(at)) {
        hit++;
      } else {
        missing.add(at);
      }
    }
    drift.put("counted_since", since.toString());
    drift.put("expected", expected.size());
    drift.put("sent", hit);
    drift.put("not_sent", missing.size());
    drift.put("skipped_overlap", skippedOverlap);
    drift.put("skipped_missed", skippedMissed);
    var examples = drift.putArray("first_not_sent");
    missing.stream().sorted().limit(5).forEach(at -> examples.add(at.toString()));
    return drift;
  }

  /** The trigger's instants in [since, until); an interval's counted back from its next fire. */
  private static List<Instant> instants(Schedule schedule, Instant since, Instant until) {
    List<Instant> instants = new ArrayList<>();
    Trigger trigger = schedule.spec().trigger();
    if (trigger instanceof IntervalTrigger interval) {
      Optional<Instant> next = schedule.nextFireAt();
      if (next.isEmpty()) {
        return instants;
      }
      for (Instant at = next.get().minus(interval.every());
          !at.isBefore(since) && instants.size() < MAX_EXPECTED;
          at = at.minus(interval.every())) {
        if (at.isBefore(until)) {
          instants.add(at);
        }
      }
      return instants;
    }
    Optional<Instant> at = trigger.first(since.minusNanos(1));
    while (at.isPresent() && at.get().isBefore(until) && instants.size() < MAX_EXPECTED) {
      if (!at.get().isBefore(since)) {
        instants.add(at.get());
      }
      at = trigger.next(at.get());
    }
    return instants;
  }

  private static ObjectNode percentiles(List<Long> values) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (values.isEmpty()) {
      node.putNull("p50");
      node.putNull("p95");
      node.putNull("p99");
      node.putNull("max");
      return node;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    node.put("p50", at(sorted, 50));
    node.put("p95", at(sorted, 95));
    node.put("p99", at(sorted, 99));
    node.put("max", sorted.get(sorted.size() - 1));
    return node;
  }

  private static long at(List<Long> sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
