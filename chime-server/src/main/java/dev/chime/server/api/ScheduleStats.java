package dev.chime.server.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunStatus;
import dev.chime.schedule.Drift;
import dev.chime.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A schedule's health over a window, from its runs: how many fired, how they ended, how long they
 * took and how late they went out, why they failed, and its {@link Drift}.
 */
final class ScheduleStats {
  /** The most runs one window reads. */
  static final int MAX_RUNS = 20_000;

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
    int fires = 0;
    int manual = 0;
    int success = 0;
    int ended = 0;
    for (Run run : runs) {
      byStatus.merge(run.status().wireName(), 1, Integer::sum);
      boolean scheduledFirst = run.origin() == RunOrigin.SCHEDULE && run.attempt() == 1;
      if (run.origin() == RunOrigin.MANUAL && run.attempt() == 1) {
        manual++;
      }
      if (run.status() == RunStatus.SKIPPED) {
        continue;
      }
      if (scheduledFirst) {
        fires++;
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
    node.set("drift", drift(schedule, runs, from, to));
    return node;
  }

  private static ObjectNode drift(Schedule schedule, List<Run> runs, Instant from, Instant to) {
    Drift drift = Drift.of(schedule, runs, from, to);
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("counted_since", drift.countedSince().toString());
    node.put("expected", drift.expected());
    node.put("sent", drift.sent());
    node.put("not_sent", drift.notSent());
    node.put("skipped_overlap", drift.skippedOverlap());
    node.put("skipped_missed", drift.skippedMissed());
    var examples = node.putArray("first_not_sent");
    drift.notSentAt().forEach(at -> examples.add(at.toString()));
    return node;
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
