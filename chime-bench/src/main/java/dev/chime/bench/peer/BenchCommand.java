package dev.chime.bench.peer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.bench.Machine;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The command of a bench that measures into one JSON object: reads its options (usage and status 2
 * for a bad command line), answers {@code --help}, prints its table, writes {@code --json FILE},
 * and prints the JSON as its last line.
 */
final class BenchCommand<O extends BenchCommand.Options> {
  /** What every such bench's options have. */
  interface Options {
    boolean help();

    Optional<Path> json();
  }

  /** The bench's work: its figures as one object. */
  interface Measure<O> {
    ObjectNode measure(O options) throws Exception;
  }

  /** The database through which the benches make and drop their own, unless {@code --pg} says. */
  static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  /** The end of every such bench's usage: the flags they share. */
  static final String COMMON_FLAGS =
      """
        --pg URL               a database on the PostgreSQL server, through which the bench makes
                               and drops its own (jdbc:postgresql://127.0.0.1:5432/test?user=postgres)
        --json FILE            also write the result there
        --help                 this text

      The last line printed is the result as one JSON object.
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String usage;
  private final Function<String[], O> parse;
  private final BiConsumer<ObjectNode, PrintStream> print;

  BenchCommand(
      String name,
      String usage,
      Function<String[], O> parse,
      BiConsumer<ObjectNode, PrintStream> print) {
    this.name = name;
    this.usage = usage;
    this.parse = parse;
    this.print = print;
  }

  /** A result's start: the bench's name, the machine's facts and its load average now. */
  static ObjectNode result(String bench) {
    ObjectNode result = JSON.createObjectNode();
    result.put("bench", bench);
    ObjectNode machine = result.putObject("machine");
    machine.setAll(Machine.facts());
    machine.put("load_average_before", Machine.loadAverage());
    return result;
  }

  /** Runs {@code measure} as {@code args} say; returns the exit status. */
  int run(String[] args, PrintStream out, Measure<O> measure) throws Exception {
    O options;
    try {
      options = parse.apply(args);
    } catch (IllegalArgumentException e) {
      out.println(name + ": " + e.getMessage());
      out.print(usage);
      return 2;
    }
    if (options.help()) {
      out.print(usage);
      return 0;
    }
    ObjectNode result = measure.measure(options);
    print.accept(result, out);
    if (options.json().isPresent()) {
      Files.writeString(
          options.json().get(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    }
    out.println(JSON.writeValueAsString(result));
    return 0;
  }
}
