package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.chime.client.Chime;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
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

  /** A list as a JSON array, or as a table of one row an item. */
  <T> void printList(
      List<T> items,
      Function<T, JsonNode> json,
      List<String> columns,
      Function<T, List<String>> row) {
    if (json()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      items.forEach(item -> array.add(json.apply(item)));
      printer().json(array);
    } else {
      printer().table(columns, items.stream().map(row).toList());
    }
  }

  InputStream stdin() {
    return root().stdin();
  }
}
