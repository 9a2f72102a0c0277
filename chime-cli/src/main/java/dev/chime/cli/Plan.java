package dev.chime.cli;

import dev.chime.client.Schedule;
import dev.chime.client.ScheduleSpec;
import java.util.List;
import java.util.Optional;

/** What {@code apply} does to make Chime match the files: one change a schedule. */
record Plan(List<Change> changes) {
  enum Kind {
    CREATE("+", "create"),
    UPDATE("~", "update"),
    DELETE("-", "delete"),
    UNCHANGED("=", "unchanged");

    final String mark;
    final String word;

    Kind(String mark, String word) {
      this.mark = mark;
      this.word = word;
    }
  }

  /**
   * One schedule's change: {@code current} is what Chime has (none for a create), {@code desired}
   * what the files say (none for a delete), {@code differences} the fields an update changes.
   */
  record Change(
      Kind kind,
      String name,
      Optional<Schedule> current,
      Optional<ScheduleSpec> desired,
      List<String> differences) {
    Change {
      differences = List.copyOf(differences);
    }
  }

  Plan {
    changes = List.copyOf(changes);
  }

  long count(Kind kind) {
    return changes.stream().filter(change -> change.kind() == kind).count();
  }
}
