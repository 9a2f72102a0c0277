package dev.chime.cli;

import dev.chime.client.Chime;
import java.io.InputStream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command reaches through the root: the client, the output format, the printer. */
abstract class Subcommand {
  @Spec CommandSpec spec;

  ChimeCommand root() {
    return (ChimeCommand) spec.root().userObject();
  }

  Chime chime() {
    return root().client();
  }

  boolean json() {
    return root().format() == ChimeCommand.Format.JSON;
  }

  Printer printer() {
    return new Printer(spec.commandLine().getOut());
  }

  InputStream stdin() {
    return root().stdin();
  }
}
