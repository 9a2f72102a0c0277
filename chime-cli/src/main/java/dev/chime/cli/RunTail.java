package dev.chime.cli;

import dev.chime.client.Chime;
import dev.chime.client.NotFoundException;
import dev.chime.client.Run;
import dev.chime.client.RunStatus;
import dev.chime.client.Schedule;
import dev.chime.client.ScheduleQuery;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Follows runs by polling: each round reads the newest page of runs of every schedule followed and
 * tells each run not seen before, and each change of a run's status. Runs that were there at the
 * start are not told, except by a later change.
 */
final class RunTail {
  private static final int PAGE = 20;

  private final Chime chime;
  private final List<String> refs;
  private final String label;
  private final BiConsumer<String, Run> tell;
  private final Map<UUID, RunStatus> seen = new HashMap<>();
  private Map<UUID, String> named;

  RunTail(Chime chime, List<String> refs, String label, BiConsumer<String, Run> tell) {
    this.chime = chime;
    this.refs = refs;
    this.label = label;
    this.tell = tell;
  }

  int follow(Duration interval, long count, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + Math.min(limit.toNanos(), Long.MAX_VALUE / 2);
    long told = 0;
    boolean first = true;
    while (told < count) {
      for (Map.Entry<UUID, String> schedule : schedules().entrySet()) {
        List<Run> runs;
        try {
          runs = chime.listRuns(schedule.getKey(), PAGE).firstPage().items();
        } catch (NotFoundException deleted) {
          continue;
        }
        // oldest first, so lines come in the order things happened
        for (int i = runs.size() - 1; i >= 0 && told < count; i--) {
          Run run = runs.get(i);
          RunStatus before = seen.put(run.id(), run.status());
          if (!first && before != run.status()) {
            tell.accept(schedule.getValue(), run);
            told++;
          }
        }
      }
      first = false;
      long left = deadline - System.nanoTime();
      if (told >= count || left <= 0) {
        break;
      }
      Thread.sleep(Math.min(interval.toMillis(), Math.max(1, left / 1_000_000)));
    }
    return ExitCodes.OK;
  }

  /** The schedules followed, read anew each round so that new ones are followed too. */
  private Map<UUID, String> schedules() {
    if (!refs.isEmpty()) {
      if (named == null) {
        named = new LinkedHashMap<>();
        for (String ref : refs) {
          UUID id = Refs.schedule(chime, ref);
          named.put(id, ref.equals(id.toString()) ? chime.getSchedule(id).name() : ref);
        }
      }
      return named;
    }
    Map<UUID, String> schedules = new LinkedHashMap<>();
    ScheduleQuery query = ScheduleQuery.all().withPageSize(500);
    if (label != null) {
      query = query.withLabel(label);
    }
    for (Schedule schedule : chime.listSchedules(query)) {
      schedules.put(schedule.id(), schedule.name());
    }
    return schedules;
  }
}
