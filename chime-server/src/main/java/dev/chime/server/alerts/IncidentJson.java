package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.alert.Incident;
import dev.chime.alert.RuleKind;

/**
 * An incident as the API shows it: its rule, what it is about (a schedule with its name and page,
 * or a node), since when, whether it is still open, and the sightings grouped into it.
 */
public final class IncidentJson {
  private IncidentJson() {}

  public static ObjectNode view(Incident incident, String publicUrl) {
    String base =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", incident.id().toString());
    node.put("rule_id", incident.ruleId().toString());
    node.put("kind", incident.kind().wireName());
    node.put("state", incident.open() ? "open" : "closed");
    if (incident.kind() == RuleKind.STALLED) {
      node.putObject("node").put("id", incident.subjectId());
      node.putNull("schedule");
    } else {
      ObjectNode schedule = node.putObject("schedule");
      schedule.put("id", incident.subjectId());
      if (incident.subjectName().isPresent()) {
        schedule.put("name", incident.subjectName().get());
      } else {
        schedule.putNull("name"); // the schedule is gone
      }
      schedule.put("url", base + "/schedules/" + incident.subjectId());
    }
    node.put("since", incident.sinceAt().toString());
    node.put("opened_at", incident.openedAt().toString());
    if (incident.closedAt().isPresent()) {
      node.put("closed_at", incident.closedAt().get().toString());
    } else {
      node.putNull("closed_at");
    }
    node.put("last_seen_at", incident.lastSeenAt().toString());
    node.put("count", incident.seen());
    if (incident.lastRunId().isPresent()) {
      ObjectNode run = node.putObject("last_run");
      run.put("id", incident.lastRunId().get().toString());
      run.put(
          "url",
          incident.kind() != RuleKind.STALLED
              ? base + "/schedules/" + incident.subjectId() + "/runs/" + incident.lastRunId().get()
              : base + "/api/v1/runs/" + incident.lastRunId().get());
      run.put("api_url", base + "/api/v1/runs/" + incident.lastRunId().get());
    } else {
      node.putNull("last_run");
    }
    if (incident.lastError().isPresent()) {
      node.put("last_error", incident.lastError().get());
    } else {
      node.putNull("last_error");
    }
    return node;
  }
}
