package dev.chime.cli;

import dev.chime.client.Chime;
import dev.chime.client.ChimeJson;
import dev.chime.client.Run;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chime runs ...}: a schedule's runs, one run, retry, cancel, and following new runs. */
@Command(
    name = "runs",
    aliases = "r",
    description = "List, read, retry, cancel and follow runs.",
    subcommands = picocli.CommandLine.HelpCommand.class)
final class RunsCommand extends Subcommand {
  @Command(name = "list", description = "A schedule's runs, newest first.")
  int list(
      @Parameters(paramLabel = "SCHEDULE", description = "an id or a name") String ref,
      @Option(names = "--limit", paramLabel = "N", description = "show at most N (default 20)")
          Integer limit) {
    Chime chime = chime();
    int most = limit == null ? 20 : limit;
    List<Run> runs =
        chime.listRuns(Refs.schedule(chime, ref), Math.max(1, Math.min(most, 500))).stream()
            .limit(most)
            .toList();
    printList(runs, ChimeJson::write, Views.RUN_COLUMNS, Views::row);
    return ExitCodes.OK;
  }

  @Command(name = "get", description = "One run.")
  int get(@Parameters(paramLabel = "RUN", description = "the run's id") String ref) {
    show(this, chime().getRun(Refs.run(ref)));
    return ExitCodes.OK;
  }

  @Command(
      name = "retry",
      description = "Queue another attempt of a failed, timed-out or cancelled run.")
  int retry(@Parameters(paramLabel = "RUN", description = "the run's id") String ref) {
    show(this, chime().retryRun(Refs.run(ref)));
    return ExitCodes.OK;
  }

  @Command(
      name = "cancel",
      description = "Cancel a queued run, or a running one its target accepted.")
  int cancel(@Parameters(paramLabel = "RUN", description = "the run's id") String ref) {
    show(this, chime().cancelRun(Refs.run(ref)));
    return ExitCodes.OK;
  }

  @Command(
      name = "tail",
      description = "Follow new runs live (and each change of their status), polling Chime.")
  int tail(
      @Parameters(
              paramLabel = "SCHEDULE",
              arity = "0..*",
              description = "ids or names (default: every schedule, or those --label selects)")
          List<String> refs,
      @Option(
              names = "--label",
              paramLabel = "SELECTOR",
              description = "follow the schedules a label selector matches")
          String label,
      @Option(
              names = "--interval",
              paramLabel = "DURATION",
              converter = DurationConverter.class,
              description = "how often to poll (default 2s)")
          Duration interval,
      @Option(names = "--count", paramLabel = "N", description = "stop after N lines")
          Integer count,
      @Option(
              names = "--for",
              paramLabel = "DURATION",
              converter = DurationConverter.class,
              description = "stop after this long")
          Duration limit)
      throws InterruptedException {
    RunTail tail = new RunTail(chime(), refs == null ? List.of() : refs, label, this::printRunLine);
    return tail.follow(
        interval == null ? Duration.ofSeconds(2) : interval,
        count == null ? Long.MAX_VALUE : count,
        limit == null ? Duration.ofDays(365_000) : limit);
  }

  private void printRunLine(String scheduleName, Run run) {
    if (json()) {
      printer().jsonLine(ChimeJson.write(run).put("schedule_name", scheduleName));
      return;
    }
    StringBuilder line =
        new StringBuilder()
            .append(run.startedAt().orElse(run.createdAt()))
            .append("  ")
            .append(scheduleName)
            .append("  ")
            .append(run.status().wireName())
            .append("  attempt ")
            .append(run.attempt());
    run.httpStatus().ifPresent(status -> line.append("  http ").append(status));
    run.durationMs().ifPresent(ms -> line.append("  ").append(ms).append("ms"));
    run.errorCode().ifPresent(code -> line.append("  ").append(code));
    line.append("  run ").append(run.id());
    printer().line(line.toString());
  }

  static void show(Subcommand command, Run run) {
    if (command.json()) {
      command.printer().json(ChimeJson.write(run));
    } else {
      command.printer().fields(Views.detail(run));
    }
  }
}
