package dev.chime.cli;

import picocli.CommandLine.Command;

/** {@code chime import ...}: schedules from other schedulers' files. */
@Command(
    name = "import",
    description = "Make schedules from another scheduler's file.",
    subcommands = {CrontabImportCommand.class, picocli.CommandLine.HelpCommand.class})
final class ImportCommand {}
