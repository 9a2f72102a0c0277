package dev.chime.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.client.Chime;
import dev.chime.client.ScheduleSpec;
import java.util.Comparator;
import java.util.List;

/**
 * Carries out a {@link Plan}, or only tells it: creates and updates first, deletes last (so a
 * rename never leaves a moment with neither schedule), telling each change as it is done.
 */
final class Applier {
  private Applier() {}

  static int apply(Chime chime, Plan plan, boolean dryRun, Subcommand command) {
    List<Plan.Change> ordered =
        plan.changes().stream()
            .sorted(Comparator.comparing(change -> change.kind() == Plan.Kind.DELETE))
            .toList();
    ObjectNode json = ScheduleFiles.JSON.createObjectNode().put("dry_run", dryRun);
    ArrayNode list = json.putArray("changes");
    for (Plan.Change change : ordered) {
      String id = change.current().map(schedule -> schedule.id().toString()).orElse(null);
      if (!dryRun) {
        switch (change.kind()) {
          case CREATE -> id = chime.createSchedule(change.desired().orElseThrow()).id().toString();
          case UPDATE ->
              chime.updateSchedule(
                  change.current().orElseThrow().id(), change.desired().orElseThrow());
          case DELETE -> chime.deleteSchedule(change.current().orElseThrow().id());
          case UNCHANGED -> {}
        }
      }
      ObjectNode item =
          list.addObject().put("action", change.kind().word).put("name", change.name());
      item.put("id", id);
      ArrayNode differences = item.putArray("differences");
      change.differences().forEach(differences::add);
      if (!command.json()) {
        command.printer().line(change.kind().mark + " " + change.kind().word + " " + change.name());
        change.differences().forEach(difference -> command.printer().line("    " + difference));
        if (change.kind() == Plan.Kind.CREATE) {
          ScheduleSpec spec = change.desired().orElseThrow();
          command
              .printer()
              .line("    " + Views.trigger(spec.trigger()) + ", " + Views.target(spec.target()));
        }
      }
    }
    String summary =
        (dryRun ? "dry run, nothing changed: would create " : "created ")
            + plan.count(Plan.Kind.CREATE)
            + (dryRun ? ", update " : ", updated ")
            + plan.count(Plan.Kind.UPDATE)
            + (dryRun ? ", delete " : ", deleted ")
            + plan.count(Plan.Kind.DELETE)
            + ", "
            + plan.count(Plan.Kind.UNCHANGED)
            + " unchanged";
    json.putObject("counts")
        .put("create", plan.count(Plan.Kind.CREATE))
        .put("update", plan.count(Plan.Kind.UPDATE))
        .put("delete", plan.count(Plan.Kind.DELETE))
        .put("unchanged", plan.count(Plan.Kind.UNCHANGED));
    if (command.json()) {
      command.printer().json(json);
    } else {
      command.printer().line(summary);
    }
    return ExitCodes.OK;
  }
}
