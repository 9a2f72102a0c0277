package dev.chime.cli;

import dev.chime.client.Chime;
import dev.chime.client.ChimeJson;
import dev.chime.client.Run;
import dev.chime.client.RunStatus;
import dev.chime.client.Schedule;
import dev.chime.client.SchedulePatch;
import dev.chime.client.ScheduleQuery;
import dev.chime.client.ScheduleSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chime schedules ...}: list, read, make, change, delete, switch and run schedules. */
@Command(
    name = "schedules",
    aliases = "s",
    description = "List, read, create, change, delete, enable, disable and run schedules.",
    subcommands = picocli.CommandLine.HelpCommand.class)
final class SchedulesCommand extends Subcommand {
  @Command(name = "list", description = "The tenant's schedules, in creation order.")
  int list(
      @Option(
              names = "--label",
              paramLabel = "SELECTOR",
              description = "such as team=billing,env!=dev")
          String label,
      @Option(names = "--name", paramLabel = "TEXT", description = "a part of the name")
          String name,
      @Option(
              names = {"-q", "--query"},
              paramLabel = "TEXT",
              description = "a part of the name or description")
          String text,
      @Option(names = "--enabled", description = "only enabled schedules") boolean enabled,
      @Option(names = "--disabled", description = "only disabled schedules") boolean disabled,
      @Option(
              names = "--last-status",
              paramLabel = "STATUS",
              description = "success, failed, timeout or none")
          String lastStatus,
      @Option(names = "--limit", paramLabel = "N", description = "show at most N") Integer limit) {
    if (enabled && disabled) {
      throw new UsageException("--enabled and --disabled exclude each other");
    }
    ScheduleQuery query =
        ScheduleQuery.all().withPageSize(limit == null ? 200 : Math.min(limit, 500));
    if (label != null) {
      query = query.withLabel(label);
    }
    if (name != null) {
      query = query.withName(name);
    }
    if (text != null) {
      query = query.withText(text);
    }
    if (enabled || disabled) {
      query = query.withEnabled(enabled);
    }
    if (lastStatus != null) {
      query = query.withLastStatus(lastStatus);
    }
    List<Schedule> schedules =
        chime().listSchedules(query).stream()
            .limit(limit == null ? Long.MAX_VALUE : limit)
            .toList();
    printList(schedules, ChimeJson::write, Views.SCHEDULE_COLUMNS, Views::row);
    return ExitCodes.OK;
  }

  @Command(name = "get", description = "One schedule, by id or name.")
  int get(@Parameters(paramLabel = "SCHEDULE", description = "an id or a name") String ref) {
    Chime chime = chime();
    show(chime.getSchedule(Refs.schedule(chime, ref)));
    return ExitCodes.OK;
  }

  @Command(name = "create", description = "Make a schedule from flags or from a file.")
  int create(
      @Mixin SpecOptions options,
      @Option(names = "--disabled", description = "make it disabled") boolean disabled,
      @Option(
              names = {"-f", "--file"},
              paramLabel = "FILE",
              description = "a YAML or JSON schedule ('-': stdin)")
          Path file) {
    ScheduleSpec spec;
    if (file != null) {
      if (options.any() || disabled) {
        throw new UsageException("--file holds the whole schedule; give no other flags with it");
      }
      spec = ScheduleFiles.single(file, stdin(), root().env());
    } else {
      spec = options.spec(!disabled);
    }
    show(chime().createSchedule(spec));
    return ExitCodes.OK;
  }

  @Command(
      name = "update",
      description =
          "Change a schedule: the flags given (a merge patch), or the whole of it from a file (PUT).")
  int update(
      @Parameters(paramLabel = "SCHEDULE", description = "an id or a name") String ref,
      @Mixin SpecOptions options,
      @Option(
              names = "--remove-label",
              paramLabel = "NAME",
              description = "take a label off; repeatable")
          List<String> removeLabels,
      @Option(
              names = {"-f", "--file"},
              paramLabel = "FILE",
              description = "a YAML or JSON schedule ('-': stdin) that replaces it")
          Path file) {
    List<String> removed = removeLabels == null ? List.of() : removeLabels;
    Chime chime = chime();
    UUID id = Refs.schedule(chime, ref);
    if (file != null) {
      if (options.any() || !removed.isEmpty()) {
        throw new UsageException("--file holds the whole schedule; give no other flags with it");
      }
      show(chime.updateSchedule(id, ScheduleFiles.single(file, stdin(), root().env())));
      return ExitCodes.OK;
    }
    if (!options.any() && removed.isEmpty()) {
      throw new UsageException("nothing to change: give the flags to change, or --file");
    }
    SchedulePatch patch = options.patch(removed);
    show(chime.patchSchedule(id, patch));
    return ExitCodes.OK;
  }

  @Command(name = "delete", description = "Delete schedules and their runs.")
  int delete(
      @Parameters(paramLabel = "SCHEDULE", arity = "1..*", description = "ids or names")
          List<String> refs) {
    Chime chime = chime();
    List<UUID> ids = new ArrayList<>();
    refs.forEach(ref -> ids.add(Refs.schedule(chime, ref)));
    for (int i = 0; i < ids.size(); i++) {
      chime.deleteSchedule(ids.get(i));
      if (!json()) {
        printer()
            .line(
                "deleted "
                    + refs.get(i)
                    + (refs.get(i).equals(ids.get(i).toString()) ? "" : " (" + ids.get(i) + ")"));
      }
    }
    return ExitCodes.OK;
  }

  @Command(name = "enable", description = "Switch schedules on.")
  int enable(
      @Parameters(paramLabel = "SCHEDULE", arity = "1..*", description = "ids or names")
          List<String> refs) {
    return switchAll(refs, true);
  }

  @Command(name = "disable", description = "Switch schedules off.")
  int disable(
      @Parameters(paramLabel = "SCHEDULE", arity = "1..*", description = "ids or names")
          List<String> refs) {
    return switchAll(refs, false);
  }

  @Command(
      name = "run",
      description = "Fire a schedule now, outside its rhythm (also a disabled one).")
  int run(
      @Parameters(paramLabel = "SCHEDULE", description = "an id or a name") String ref,
      @Option(
              names = "--wait",
              description = "wait until the run has ended; exit 6 unless it succeeded")
          boolean wait,
      @Option(
              names = "--wait-timeout",
              paramLabel = "DURATION",
              converter = DurationConverter.class,
              description = "how long --wait waits (default 5m)")
          Duration waitTimeout)
      throws InterruptedException {
    Chime chime = chime();
    Run run = chime.runNow(Refs.schedule(chime, ref));
    if (wait) {
      long deadline =
          System.nanoTime() + (waitTimeout == null ? Duration.ofMinutes(5) : waitTimeout).toNanos();
      while (!run.status().isFinished() && System.nanoTime() < deadline) {
        Thread.sleep(200);
        run = chime.getRun(run.id());
      }
    }
    RunsCommand.show(this, run);
    if (wait && run.status() != RunStatus.SUCCESS) {
      return ExitCodes.RUN_FAILED;
    }
    return ExitCodes.OK;
  }

  private void show(Schedule schedule) {
    if (json()) {
      printer().json(ChimeJson.write(schedule));
    } else {
      printer().fields(Views.detail(schedule));
    }
  }

  private int switchAll(List<String> refs, boolean on) {
    Chime chime = chime();
    for (String ref : refs) {
      UUID id = Refs.schedule(chime, ref);
      showBrief(on ? chime.enableSchedule(id) : chime.disableSchedule(id));
    }
    return ExitCodes.OK;
  }

  private void showBrief(Schedule schedule) {
    if (json()) {
      printer().jsonLine(ChimeJson.write(schedule));
    } else {
      printer()
          .line(
              schedule.name()
                  + (schedule.enabled()
                      ? " enabled, next fire " + Views.instant(schedule.nextFireAt())
                      : " disabled"));
    }
  }
}
