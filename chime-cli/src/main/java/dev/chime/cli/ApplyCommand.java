package dev.chime.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chime apply FILE|DIR...}: make the tenant's schedules match the files, by name. */
@Command(
    name = "apply",
    description = {
      "Make Chime's schedules match the files, by name: create what is new, update what differs,"
          + " and with --prune delete what the files no longer name (only schedules labelled"
          + " managed-by=<owner>). Running it again changes nothing.",
    })
final class ApplyCommand extends Subcommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "FILE|DIR",
      arity = "1..*",
      description = "YAML or JSON files, folders of them, or '-' for stdin")
  List<Path> paths;

  @Option(
      names = "--prune",
      description =
          "delete the schedules labelled managed-by=<owner> that the files no longer name")
  boolean prune;

  @Mixin ApplyOptions options;

  @Override
  public Integer call() {
    List<ScheduleFiles.Entry> entries = ScheduleFiles.read(paths, stdin(), root().env());
    Plan plan = Planner.plan(chime(), entries, options.owner(), prune, options.adopt);
    return Applier.apply(chime(), plan, options.dryRun, this);
  }
}
