package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.AlertRule;
import dev.chime.alert.Channel;
import dev.chime.node.Node;
import dev.chime.run.Run;
import dev.chime.schedule.Drift;
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

  /** One incident of a rule about a schedule: since when the schedule has been in trouble. */
  record Episode(AlertRule rule, UUID incident, UUID schedule, String name, Instant since) {}

  /** A schedule's failure streak reached a rule's threshold. */
  ObjectNode failing(Episode episode, int failures, Optional<Run> last, Instant now) {
    return told(
        "opened",
        episode,
        "Schedule '" + episode.name() + "' failed " + times(failures) + " in a row",
        "Schedule '"
            + episode.name()
            + "' has failed "
            + times(failures)
            + " in a row, since "
            + episode.since()
            + "."
            + last.map(run -> " Last error: " + error(run) + ".").orElse(""),
        failures,
        last,
        now);
  }

  /** A schedule whose runs failed succeeded again. */
  ObjectNode recovered(Episode episode, int failures, Optional<Run> last, Instant now) {
    return told(
        "resolved",
        episode,
        "Schedule '" + episode.name() + "' recovered",
        "Schedule '"
            + episode.name()
            + "' succeeded again"
            + last.flatMap(Run::finishedAt).map(at -> " at " + at).orElse("")
            + ", after "
            + failures
            + " failed run"
            + (failures == 1 ? "" : "s")
            + " in a row since "
            + episode.since()
            + ".",
        failures,
        last,
        now);
  }

  /** A run of the schedule is still running past its deadline ({@code since}). */
  ObjectNode stuck(Episode episode, UUID runId, Instant now) {
    ObjectNode message =
        told(
            "opened",
            episode,
            "Schedule '" + episode.name() + "' has a run stuck past its deadline",
            "Run "
                + runId
                + " of schedule '"
                + episode.name()
                + "' is still running "
                + Duration.between(episode.since(), now).toSeconds()
                + " s after its deadline ("
                + episode.since()
                + ").",
            1,
            Optional.empty(),
            now);
    ObjectNode run = message.putObject("run");
    run.put("id", runId.toString());
    run.put("status", "running");
    run.put("url", runUrl(episode.schedule(), runId));
    run.put("api_url", publicUrl + "/api/v1/runs/" + runId);
    return message;
  }

  ObjectNode unstuck(Episode episode, Instant now) {
    return told(
        "resolved",
        episode,
        "Schedule '" + episode.name() + "' has no run stuck any more",
        "Schedule '"
            + episode.name()
            + "' has no run past its deadline any more (stuck since "
            + episode.since()
            + ").",
        1,
        Optional.empty(),
        now);
  }

  /** A schedule's fires have all gone out late for longer than a late rule allows. */
  ObjectNode late(Episode episode, Run latest, Instant now) {
    return told(
        "opened",
        episode,
        "Schedule '" + episode.name() + "' fires late",
        "Schedule '"
            + episode.name()
            + "' has fired more than "
            + episode.rule().threshold()
            + " ms after its instants since "
            + episode.since()
            + "; the latest fire went out "
            + LateFilter.lateness(latest)
            + " ms late.",
        1,
        Optional.of(latest),
        now);
  }

  ObjectNode onTime(Episode episode, Run latest, Instant now) {
    return told(
        "resolved",
        episode,
        "Schedule '" + episode.name() + "' fires on time again",
        "Schedule '"
            + episode.name()
            + "' fired on time again ("
            + LateFilter.lateness(latest)
            + " ms after its instant); it was late since "
            + episode.since()
            + ".",
        1,
        Optional.of(latest),
        now);
  }

  /** A schedule's trigger asked for more instants in a drift rule's window than were sent. */
  ObjectNode drifting(Episode episode, Drift drift, Duration window, Instant now) {
    ObjectNode message =
        told(
            "opened",
            episode,
            "Schedule '" + episode.name() + "' drifts: " + notSent(drift) + " in " + span(window),
            "Schedule '"
                + episode.name()
                + "' did not send "
                + drift.notSent()
                + " of the "
                + drift.expected()
                + " instants its trigger asked for in the last "
                + span(window)
                + " (skipped as an overlap, missed, or never sent), the first at "
                + episode.since()
                + ".",
            drift.notSent(),
            Optional.empty(),
            now);
    message.put("not_sent", drift.notSent());
    message.put("expected", drift.expected());
    return message;
  }

  ObjectNode steady(Episode episode, Drift drift, Duration window, Instant now) {
    return told(
        "resolved",
        episode,
        "Schedule '" + episode.name() + "' fires every instant again",
        "Schedule '"
            + episode.name()
            + "' sent "
            + drift.sent()
            + " of the "
            + drift.expected()
            + " instants of the last "
            + span(window)
            + "; it drifted since "
            + episode.since()
            + ".",
        drift.notSent(),
        Optional.empty(),
        now);
  }

  private static String notSent(Drift drift) {
    return drift.notSent() + " instant" + (drift.notSent() == 1 ? "" : "s") + " not sent";
  }

  private static String span(Duration window) {
    long s = window.toSeconds();
    return s % 86_400 == 0
        ? s / 86_400 + " d"
        : s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
  }

  private ObjectNode told(
      String event,
      Episode episode,
      String title,
      String text,
      int count,
      Optional<Run> run,
      Instant now) {
    ObjectNode message =
        base(
            event,
            episode.rule(),
            Optional.of(episode.incident()),
            episode.schedule(),
            episode.name(),
            now);
    message.put("title", title);
    message.put("text", text);
    message.put("since", episode.since().toString());
    message.put("count", count);
    run.ifPresent(last -> run(message, last));
    return message;
  }

  private static String times(int count) {
    return count + " time" + (count == 1 ? "" : "s");
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
    node.put("url", runUrl(run.scheduleId(), run.id()));
    node.put("api_url", publicUrl + "/api/v1/runs/" + run.id());
    run.errorCode().ifPresent(code -> message.put("last_error", error(run)));
  }

  /** The run in the web page: its schedule's runs panel, with the run opened. */
  private String runUrl(UUID scheduleId, UUID runId) {
    return publicUrl + "/schedules/" + scheduleId + "/runs/" + runId;
  }

  private static String error(Run run) {
    String code = run.errorCode().orElse(run.status().wireName());
    return code + run.errorMessage().map(text -> ": " + text).orElse("");
  }
}
