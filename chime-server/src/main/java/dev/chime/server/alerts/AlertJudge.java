package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.AlertRule;
import dev.chime.alert.Delivery;
import dev.chime.alert.RuleKind;
import dev.chime.node.Node;
import dev.chime.run.Run;
import dev.chime.run.RunStatus;
import dev.chime.store.AlertStore;
import dev.chime.store.AlertStore.OpenIncident;
import dev.chime.store.AlertStore.StuckRun;
import dev.chime.store.NodeStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Judges the alert rules against the database at one instant: opens an incident for each rule newly
 * broken, counts repeats of open ones, closes the ones that are well again, and turns ended runs
 * into result deliveries. Every node judges; the incidents' unique key and the guarded close make
 * one incident, and one message each way, however many nodes race.
 */
final class AlertJudge {
  /** How long after its end a run's result is told: results written late by a busy node count. */
  static final Duration RESULT_LAG = Duration.ofSeconds(5);

  private static final int LIMIT = 500;
  private static final int STREAK_RUNS = 200;

  private final AlertStore store;
  private final NodeStore nodes;
  private final AlertMessages messages;
  private final FiringJudge firing;

  AlertJudge(AlertStore store, NodeStore nodes, AlertMessages messages, FiringJudge firing) {
    this.store = store;
    this.nodes = nodes;
    this.messages = messages;
    this.firing = firing;
  }

  /**
   * Judges every kind of rule; a kind that fails (the database refused a read) is logged and judged
   * again at the next turn, without keeping the others from being judged.
   */
  void judge(Instant now) {
    RuntimeException first = null;
    for (Runnable part :
        List.<Runnable>of(
            () -> openStreaks(now),
            () -> followStreaks(now),
            () -> judgeStuck(now),
            () -> judgeNodes(now),
            () -> firing.judgeLateness(now),
            () -> firing.judgeDrift(now),
            () ->
                store.deliverResults(
                    now.minus(RESULT_LAG), LIMIT, result -> resultDeliveries(result, now)))) {
      try {
        part.run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void openStreaks(Instant now) {
    for (AlertStore.Streak streak : store.brokenStreaks(LIMIT)) {
      List<Run> runs = store.recentRuns(streak.scheduleId(), STREAK_RUNS);
      Optional<Run> last = lastEnded(runs);
      Instant since = streakStart(runs).orElse(now);
      UUID incident = UUID.randomUUID();
      List<Delivery> deliveries =
          streak.rule().kind() == RuleKind.RECOVERED
              ? List.of()
              : deliveries(
                  streak.rule(),
                  incident,
                  "opened",
                  messages.failing(
                      new AlertMessages.Episode(
                          streak.rule(),
                          incident,
                          streak.scheduleId(),
                          streak.scheduleName(),
                          since),
                      streak.failures(),
                      last,
                      now),
                  now);
      store.open(
          new AlertStore.NewIncident(
              incident,
              streak.rule(),
              streak.scheduleId().toString(),
              since,
              now,
              streak.failures(),
              last.map(Run::id),
              last.flatMap(AlertJudge::errorOf)),
          deliveries);
    }
  }

  private void followStreaks(Instant now) {
    for (OpenIncident open : store.openIncidents(List.of(RuleKind.FAILURES, RuleKind.RECOVERED))) {
      if (open.subjectName().isEmpty()) {
        store.close(open.id(), now, List.of()); // the schedule is gone: nothing to tell
      } else if (open.failures() == 0 && open.lastStatus().equals(Optional.of("success"))) {
        UUID schedule = UUID.fromString(open.subjectId());
        Optional<Run> last = lastEnded(store.recentRuns(schedule, 1));
        ObjectNode message = messages.recovered(episode(open), open.seen(), last, now);
        store.close(open.id(), now, deliveries(open.rule(), open.id(), "resolved", message, now));
      } else if (open.failures() > open.seen()) {
        store.seen(open.id(), open.failures(), now);
      }
    }
  }

  private void judgeStuck(Instant now) {
    Map<String, StuckRun> stuck = new HashMap<>();
    for (StuckRun run : store.overdueRuns(now, LIMIT)) {
      if (run.deadlineAt().plusSeconds(run.rule().threshold()).isBefore(now)) {
        stuck.putIfAbsent(run.rule().id() + " " + run.scheduleId(), run);
      }
    }
    Set<String> open = new HashSet<>();
    for (OpenIncident incident : store.openIncidents(List.of(RuleKind.STUCK))) {
      String key = incident.rule().id() + " " + incident.subjectId();
      open.add(key);
      if (!stuck.containsKey(key)) {
        List<Delivery> deliveries =
            incident.subjectName().isEmpty()
                ? List.of()
                : deliveries(
                    incident.rule(),
                    incident.id(),
                    "resolved",
                    messages.unstuck(episode(incident), now),
                    now);
        store.close(incident.id(), now, deliveries);
      }
    }
    for (Map.Entry<String, StuckRun> entry : stuck.entrySet()) {
      if (open.contains(entry.getKey())) {
        continue;
      }
      StuckRun run = entry.getValue();
      UUID incident = UUID.randomUUID();
      ObjectNode message =
          messages.stuck(
              new AlertMessages.Episode(
                  run.rule(), incident, run.scheduleId(), run.scheduleName(), run.deadlineAt()),
              run.runId(),
              now);
      store.open(
          new AlertStore.NewIncident(
              incident,
              run.rule(),
              run.scheduleId().toString(),
              run.deadlineAt(),
              now,
              1,
              Optional.of(run.runId()),
              Optional.empty()),
          deliveries(run.rule(), incident, "opened", message, now));
    }
  }

  /**
   * Nodes silent for longer than a {@code stalled} rule allows, by the database's clock. Every
   * other node sees a dead one: it cannot tell of itself.
   */
  private void judgeNodes(Instant now) {
    List<AlertRule> rules = store.enabledRules(RuleKind.STALLED);
    List<OpenIncident> open = store.openIncidents(List.of(RuleKind.STALLED));
    if (rules.isEmpty() && open.isEmpty()) {
      return;
    }
    Map<String, Node> byId = new HashMap<>();
    nodes.list().nodes().forEach(node -> byId.put(node.id(), node));
    Set<String> opened = new HashSet<>();
    for (OpenIncident incident : open) {
      opened.add(incident.rule().id() + " " + incident.subjectId());
      Node node = byId.get(incident.subjectId());
      if (node == null) {
        store.close(incident.id(), now, List.of()); // its row is gone: nothing to tell
      } else if (!silent(node, incident.rule())) {
        store.close(
            incident.id(),
            now,
            deliveries(
                incident.rule(),
                incident.id(),
                "resolved",
                messages.resumed(incident.rule(), incident.id(), node, incident.sinceAt(), now),
                now));
      }
    }
    for (AlertRule rule : rules) {
      for (Node node : byId.values()) {
        if (silent(node, rule) && !opened.contains(rule.id() + " " + node.id())) {
          UUID incident = UUID.randomUUID();
          store.open(
              new AlertStore.NewIncident(
                  incident,
                  rule,
                  node.id(),
                  node.heartbeatAt(),
                  now,
                  1,
                  Optional.empty(),
                  Optional.empty()),
              deliveries(
                  rule, incident, "opened", messages.stalled(rule, incident, node, now), now));
        }
      }
    }
  }

  /** Not stopped, and no heartbeat for the rule's time and two of the node's own intervals. */
  private static boolean silent(Node node, AlertRule rule) {
    Duration allowed = Duration.ofSeconds(rule.threshold());
    Duration twoBeats = node.heartbeatInterval().multipliedBy(2);
    return node.stoppedAt().isEmpty()
        && node.sinceHeartbeat().compareTo(allowed.compareTo(twoBeats) > 0 ? allowed : twoBeats)
            > 0;
  }

  private List<Delivery> resultDeliveries(AlertStore.ResultToTell result, Instant now) {
    String on = ResultFilter.of(result.rule());
    boolean success = result.run().status() == RunStatus.SUCCESS;
    if ((on.equals("success") && !success) || (on.equals("failure") && success)) {
      return List.of();
    }
    ObjectNode message = messages.result(result.rule(), result.run(), result.scheduleName(), now);
    List<Delivery> deliveries = new ArrayList<>();
    for (UUID channel : result.rule().channelIds()) {
      deliveries.add(
          Delivery.of(
              result.rule().tenantId(),
              channel,
              Optional.empty(),
              "result",
              message.toString(),
              now));
    }
    return deliveries;
  }

  static List<Delivery> deliveries(
      AlertRule rule, UUID incident, String event, ObjectNode message, Instant now) {
    List<Delivery> deliveries = new ArrayList<>();
    for (UUID channel : rule.channelIds()) {
      deliveries.add(
          Delivery.of(
              rule.tenantId(), channel, Optional.of(incident), event, message.toString(), now));
    }
    return deliveries;
  }

  /** An open incident about a schedule, as its messages tell it. */
  static AlertMessages.Episode episode(OpenIncident open) {
    return new AlertMessages.Episode(
        open.rule(),
        open.id(),
        UUID.fromString(open.subjectId()),
        open.subjectName().orElse(""),
        open.sinceAt());
  }

  /** The newest run that ended (not skipped, not waiting). */
  private static Optional<Run> lastEnded(List<Run> runs) {
    return runs.stream().filter(AlertJudge::counts).findFirst();
  }

  /** When the current run of failures began: the oldest failed run after the newest success. */
  private static Optional<Instant> streakStart(List<Run> runs) {
    Optional<Instant> start = Optional.empty();
    for (Run run : runs) {
      if (!counts(run)) {
        continue;
      }
      if (run.status() == RunStatus.SUCCESS) {
        break;
      }
      start = Optional.of(run.scheduledAt());
    }
    return start;
  }

  private static boolean counts(Run run) {
    return run.status().isFinal() && run.status() != RunStatus.SKIPPED;
  }

  private static Optional<String> errorOf(Run run) {
    return run.errorCode().map(code -> code + run.errorMessage().map(m -> ": " + m).orElse(""));
  }
}
