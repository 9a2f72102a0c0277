package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.AlertRule;
import dev.chime.alert.Channel;
import dev.chime.node.Node;
import dev.chime.run.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The words of every alert, channel-neutral: what happened ({@code title}, {@code text}), since
 * when, the last error, and links to the schedule's page and the run. Every channel's format is
 * made from these fields; docs/alerts.md lists each message.
 */
final class AlertMessages {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final String publicUrl;

  AlertMessages(String publicUrl) {
    this.publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  /** A failure streak of a schedule: which incident, how many failed runs since when, the last. */
  record Streak(
      AlertRule rule,
      UUID incident,
      UUID schedule,
      String name,
      int failures,
      Instant since,
      Optional<Run> last) {}

  /** A schedule's failure streak reached a rule's threshold. */
  ObjectNode failing(Streak streak, Instant now) {
    int failures = streak.failures();
    return streakMessage(
        "opened",
        streak,
        "Schedule '" + streak.name() + "' failed " + times(failures) + " in a row",
        "Schedule '"
            + streak.name()
            + "' has failed "
            + times(failures)
            + " in a row, since "
            + streak.since()
            + "."
            + streak.last().map(run -> " Last error: " + error(run) + ".").orElse(""),
        now);
  }

  /** A schedule whose runs failed succeeded again. */
  ObjectNode recovered(Streak streak, Instant now) {
    int failures = streak.failures();
    return streakMessage(
        "resolved",
        streak,
        "Schedule '" + streak.name() + "' recovered",
        "Schedule '"
            + streak.name()
            + "' succeeded again"
            + streak.last().flatMap(Run::finishedAt).map(at -> " at " + at).orElse("")
            + ", after "
            + failures
            + " failed run"
            + (failures == 1 ? "" : "s")
            + " in a row since "
            + streak.since()
            + ".",
        now);
  }

  private ObjectNode streakMessage(
      String event, Streak streak, String title, String text, Instant now) {
    ObjectNode message =
        base(
            event,
            streak.rule(),
            Optional.of(streak.incident()),
            streak.schedule(),
            streak.name(),
            now);
    message.put("title", title);
    message.put("text", text);
    message.put("since", streak.since().toString());
    message.put("count", streak.failures());
    streak.last().ifPresent(run -> run(message, run));
    return message;
  }

  private static String times(int count) {
    return count + " time" + (count == 1 ? "" : "s");
  }

  /** A run of the schedule is still running past its deadline. */
  ObjectNode stuck(
      AlertRule rule,
      UUID incident,
      UUID schedule,
      String name,
      UUID runId,
      Instant deadline,
      Instant now) {
    ObjectNode message = base("opened", rule, Optional.of(incident), schedule, name, now);
    long late = Duration.between(deadline, now).toSeconds();
    message.put("title", "Schedule '" + name + "' has a run stuck past its deadline");
    message.put(
        "text",
        "Run "
            + runId
            + " of schedule '"
            + name
            + "' is still running "
            + late
            + " s after its deadline ("
            + deadline
            + ").");
    message.put("since", deadline.toString());
    message.put("count", 1);
    ObjectNode run = message.putObject("run");
    run.put("id", runId.toString());
    run.put("status", "running");
    run.put("url", runUrl(runId));
    return message;
  }

  ObjectNode unstuck(
      AlertRule rule, UUID incident, UUID schedule, String name, Instant since, Instant now) {
    ObjectNode message = base("resolved", rule, Optional.of(incident), schedule, name, now);
    message.put("title", "Schedule '" + name + "' has no run stuck any more");
    message.put(
        "text",
        "Schedule '"
            + name
            + "' has no run past its deadline any more (stuck since "
            + since
            + ").");
    message.put("since", since.toString());
    message.put("count", 1);
    return message;
  }

  /** A schedule's fires have all gone out late for longer than a late rule allows. */
  ObjectNode late(
      AlertRule rule,
      UUID incident,
      UUID schedule,
      String name,
      Instant since,
      Run latest,
      Instant now) {
    ObjectNode message = base("opened", rule, Optional.of(incident), schedule, name, now);
    message.put("title", "Schedule '" + name + "' fires late");
    message.put(
        "text",
        "Schedule '"
            + name
            + "' has fired more than "
            + rule.threshold()
            + " ms after its instants since "
            + since
            + "; the latest fire went out "
            + LateFilter.lateness(latest)
            + " ms late.");
    message.put("since", since.toString());
    message.put("count", 1);
    run(message, latest);
    return message;
  }

  ObjectNode onTime(
      AlertRule rule,
      UUID incident,
      UUID schedule,
      String name,
      Instant since,
      Run latest,
      Instant now) {
    ObjectNode message = base("resolved", rule, Optional.of(incident), schedule, name, now);
    message.put("title", "Schedule '" + name + "' fires on time again");
    message.put(
        "text",
        "Schedule '"
            + name
            + "' fired on time again ("
            + LateFilter.lateness(latest)
            + " ms after its instant); it was late since "
            + since
            + ".");
    message.put("since", since.toString());
    message.put("count", 1);
    run(message, latest);
    return message;
  }

  /** A node of the cluster has written no heartbeat for longer than a rule allows. */
  ObjectNode stalled(AlertRule rule, UUID incident, Node node, Instant now) {
    ObjectNode message = nodeMessage("opened", rule, incident, node, now);
    message.put("title", "Node '" + node.id() + "' stalled");
    message.put(
        "text",
        "Node '"
            + node.id()
            + "' ("
            + node.address()
            + ") has written no heartbeat for "
            + node.sinceHeartbeat().toSeconds()
            + " s, since "
            + node.heartbeatAt()
            + "; the other nodes take its work once its lease ("
            + node.lease().toSeconds()
            + " s) is over.");
    return message;
  }

  /** The node beats again, or stopped cleanly. */
  ObjectNode resumed(AlertRule rule, UUID incident, Node node, Instant since, Instant now) {
    ObjectNode message = nodeMessage("resolved", rule, incident, node, now);
    boolean stopped = node.stoppedAt().isPresent();
    message.put("title", "Node '" + node.id() + "' " + (stopped ? "stopped" : "is back"));
    message.put(
        "text",
        "Node '"
            + node.id()
            + "' "
            + (stopped
                ? "stopped cleanly at " + node.stoppedAt().get()
                : "writes its heartbeat again")
            + " (silent since "
            + since
            + ").");
    message.put("since", since.toString());
    return message;
  }

  private ObjectNode nodeMessage(
      String event, AlertRule rule, UUID incident, Node node, Instant now) {
    ObjectNode message = NODES.objectNode();
    message.put("event", event);
    message.put("kind", rule.kind().wireName());
    message.put("tenant_id", rule.tenantId());
    message.put("rule_id", rule.id().toString());
    message.put("incident_id", incident.toString());
    ObjectNode subject = message.putObject("node");
    subject.put("id", node.id());
    subject.put("address", node.address());
    subject.put("url", publicUrl + "/api/v1/nodes/" + node.id());
    message.put("at", now.toString());
    message.put("since", node.heartbeatAt().toString());
    message.put("count", 1);
    return message;
  }

  /** How a run ended, for a result rule. */
  ObjectNode result(AlertRule rule, Run run, String name, Instant now) {
    ObjectNode message = base("result", rule, Optional.empty(), run.scheduleId(), name, now);
    String status = run.status().wireName();
    message.put(
        "title",
        "Run of '" + name + "' " + (status.equals("success") ? "succeeded" : "ended " + status));
    message.put(
        "text",
        "Run "
            + run.id()
            + " of schedule '"
            + name
            + "' ended "
            + status
            + run.finishedAt().map(at -> " at " + at).orElse("")
            + (run.httpStatus().isPresent() ? " (HTTP " + run.httpStatus().getAsInt() + ")" : "")
            + (run.durationMs().isPresent() ? " after " + run.durationMs().getAsLong() + " ms" : "")
            + (status.equals("success") ? "." : ". Error: " + error(run) + "."));
    message.put("count", 1);
    run(message, run);
    return message;
  }

  /** What {@code POST /api/v1/channels/{id}/test} sends. */
  ObjectNode test(Channel channel, Instant now) {
    ObjectNode message = NODES.objectNode();
    message.put("event", "test");
    message.put("kind", "test");
    message.put("tenant_id", channel.tenantId());
    message.put("title", "Test alert from Chime");
    message.put(
        "text",
        "This is a test of the channel '"
            + channel.name()
            + "', sent at "
            + now
            + ". If you read it, Chime's alerts reach you here.");
    message.put("at", now.toString());
    message.put("count", 1);
    return message;
  }

  private ObjectNode base(
      String event,
      AlertRule rule,
      Optional<UUID> incident,
      UUID schedule,
      String name,
      Instant now) {
    ObjectNode message = NODES.objectNode();
    message.put("event", event);
    message.put("kind", rule.kind().wireName());
    message.put("tenant_id", rule.tenantId());
    message.put("rule_id", rule.id().toString());
    incident.ifPresent(id -> message.put("incident_id", id.toString()));
    ObjectNode subject = message.putObject("schedule");
    subject.put("id", schedule.toString());
    subject.put("name", name);
    subject.put("url", publicUrl + "/schedules/" + schedule);
    message.put("at", now.toString());
    return message;
  }

  private void run(ObjectNode message, Run run) {
    ObjectNode node = message.putObject("run");
    node.put("id", run.id().toString());
    node.put("status", run.status().wireName());
    node.put("url", runUrl(run.id()));
    run.errorCode().ifPresent(code -> message.put("last_error", error(run)));
  }

  private String runUrl(UUID runId) {
    return publicUrl + "/api/v1/runs/" + runId;
  }

  private static String error(Run run) {
    String code = run.errorCode().orElse(run.status().wireName());
    return code + run.errorMessage().map(text -> ": " + text).orElse("");
  }
}
