package dev.chime.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
      names = "--owner",
      paramLabel = "NAME",
      description = "label every schedule of the files managed-by=NAME; what --prune may delete")
  String owner;

  @Option(
      names = "--prune",
      description =
          "delete the schedules labelled managed-by=<owner> that the files no longer name")
  boolean prune;

  @Option(
      names = "--adopt",
      description = "take over schedules of the same name that lack the owner's label")
  boolean adopt;

  @Option(names = "--dry-run", description = "show the changes without making them")
  boolean dryRun;

  @Override
  public Integer call() {
    List<ScheduleFiles.Entry> entries = ScheduleFiles.read(paths, stdin());
    Plan plan = Planner.plan(chime(), entries, Optional.ofNullable(owner), prune, adopt);
    return Applier.apply(chime(), plan, dryRun, this);
  }
}
