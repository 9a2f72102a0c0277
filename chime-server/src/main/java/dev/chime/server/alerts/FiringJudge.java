package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.AlertRule;
import dev.chime.alert.RuleKind;
import dev.chime.run.Run;
import dev.chime.schedule.Drift;
import dev.chime.schedule.Schedule;
import dev.chime.store.AlertStore;
import dev.chime.store.AlertStore.OpenIncident;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Judges how schedules fire: {@code late} rules (every fire late for a while) and {@code drift}
 * rules (instants of the trigger not sent in a window). A rule watches its schedule, or every
 * enabled schedule of its tenant, each on its own: one incident per rule and schedule.
 */
final class FiringJudge {
  /** The most schedules a tenant's rule watches in one turn. */
  static final int SCHEDULES = 500;

  /** Runs read to find since when a schedule's fires have been late. */
  private static final int LATE_RUNS = 200;

  /** Runs read first: a schedule whose latest fire was on time needs no more. */
  private static final int FIRST_LOOK = 5;

  /** The most runs one drift window reads. */
  private static final int DRIFT_RUNS = 20_000;

  private final AlertStore store;
  private final ScheduleStore schedules;
  private final RunStore runs;
  private final AlertMessages messages;

  FiringJudge(AlertStore store, ScheduleStore schedules, RunStore runs, AlertMessages messages) {
    this.store = store;
    this.schedules = schedules;
    this.runs = runs;
    this.messages = messages;
  }

  /** Judges one rule about one schedule, with the incident it has open for it, if any. */
  @FunctionalInterface
  private interface Judgement {
    void judge(AlertRule rule, UUID schedule, Optional<OpenIncident> open, Instant now);
  }

  void judgeLateness(Instant now) {
    judgeEach(RuleKind.LATE, now, this::late);
  }

  void judgeDrift(Instant now) {
    judgeEach(RuleKind.DRIFT, now, this::drift);
  }

  private void judgeEach(RuleKind kind, Instant now, Judgement judgement) {
    Map<String, OpenIncident> open = new HashMap<>();
    Map<UUID, Set<UUID>> openByRule = new HashMap<>();
    for (OpenIncident incident : store.openIncidents(List.of(kind))) {
      open.put(key(incident.rule().id(), incident.subjectId()), incident);
      openByRule
          .computeIfAbsent(incident.rule().id(), r -> new LinkedHashSet<>())
          .add(UUID.fromString(incident.subjectId()));
    }
    for (AlertRule rule : store.enabledRules(kind)) {
      Set<UUID> watched = new LinkedHashSet<>();
      if (rule.scheduleId().isPresent()) {
        watched.add(rule.scheduleId().get());
      } else {
        // a schedule disabled since its incident opened is still followed until it closes
        watched.addAll(openByRule.getOrDefault(rule.id(), Set.of()));
        watched.addAll(store.enabledSchedules(rule.tenantId(), SCHEDULES));
      }
      for (UUID schedule : watched) {
        judgement.judge(
            rule,
            schedule,
            Optional.ofNullable(open.get(key(rule.id(), schedule.toString()))),
            now);
      }
    }
  }

  private void late(AlertRule rule, UUID schedule, Optional<OpenIncident> open, Instant now) {
    List<Run> fires = LateFilter.fires(store.recentRuns(schedule, FIRST_LOOK));
    if (open.isEmpty()
        && (fires.isEmpty() || LateFilter.lateSince(rule, fires.subList(0, 1)).isEmpty())) {
      return; // the latest fire was on time: nothing to open
    }
    fires = LateFilter.fires(store.recentRuns(schedule, LATE_RUNS));
    if (fires.isEmpty()) {
      return;
    }
    Optional<Instant> since = LateFilter.lateSince(rule, fires);
    Optional<String> name = store.scheduleName(schedule);
    if (open.isPresent() && name.isEmpty()) {
      store.close(open.get().id(), now, List.of()); // the schedule is gone: nothing to tell
    } else if (open.isPresent() && since.isEmpty()) {
      resolve(open.get(), messages.onTime(AlertJudge.episode(open.get()), fires.get(0), now), now);
    } else if (open.isEmpty()
        && since.isPresent()
        && name.isPresent()
        && LateFilter.lateLongEnough(rule, since.get(), now)) {
      Run latest = fires.get(0);
      UUID id = UUID.randomUUID();
      AlertMessages.Episode episode =
          new AlertMessages.Episode(rule, id, schedule, name.get(), since.get());
      store.open(
          new AlertStore.NewIncident(
              id,
              rule,
              schedule.toString(),
              since.get(),
              now,
              1,
              Optional.of(latest.id()),
              Optional.empty()),
          AlertJudge.deliveries(rule, id, "opened", messages.late(episode, latest, now), now));
    }
  }

  private void drift(AlertRule rule, UUID schedule, Optional<OpenIncident> open, Instant now) {
    Optional<Schedule> found = schedules.get(rule.tenantId(), schedule);
    if (found.isEmpty()) {
      open.ifPresent(incident -> store.close(incident.id(), now, List.of()));
      return;
    }
    Duration window = DriftWindow.of(rule);
    Instant from = now.minus(window);
    Drift drift =
        Drift.of(
            found.get(),
            runs.inWindow(rule.tenantId(), schedule, from, now, DRIFT_RUNS),
            from,
            now);
    boolean drifting = drift.notSent() >= rule.threshold();
    if (open.isPresent() && !drifting) {
      resolve(open.get(), messages.steady(AlertJudge.episode(open.get()), drift, window, now), now);
    } else if (open.isPresent() && drift.notSent() > open.get().seen()) {
      store.seen(open.get().id(), drift.notSent(), now);
    } else if (open.isEmpty() && drifting) {
      UUID id = UUID.randomUUID();
      Instant since = drift.firstNotSent().orElse(now);
      AlertMessages.Episode episode =
          new AlertMessages.Episode(rule, id, schedule, found.get().spec().name(), since);
      store.open(
          new AlertStore.NewIncident(
              id,
              rule,
              schedule.toString(),
              since,
              now,
              drift.notSent(),
              Optional.empty(),
              Optional.of(drift.notSent() + " of " + drift.expected() + " instants not sent")),
          AlertJudge.deliveries(
              rule, id, "opened", messages.drifting(episode, drift, window, now), now));
    }
  }

  /** Closes an incident whose schedule is well again, telling its channels so. */
  private void resolve(OpenIncident incident, ObjectNode message, Instant now) {
    store.close(
        incident.id(),
        now,
        AlertJudge.deliveries(incident.rule(), incident.id(), "resolved", message, now));
  }

  private static String key(UUID rule, String subject) {
    return rule + " " + subject;
  }
}
