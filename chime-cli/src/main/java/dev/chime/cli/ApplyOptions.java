package dev.chime.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/** The flags {@code apply} and {@code import} share: who owns the schedules, and a dry run. */
final class ApplyOptions {
  @Option(
      names = "--owner",
      paramLabel = "NAME",
      description = "label every schedule managed-by=NAME; what --prune may delete")
  String owner;

  @Option(
      names = "--adopt",
      description = "take over schedules of the same name that lack the owner's label")
  boolean adopt;

  @Option(names = "--dry-run", description = "show the changes without making them")
  boolean dryRun;

  Optional<String> owner() {
    return Optional.ofNullable(owner);
  }
}
