package dev.chime.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** The {@code chime} command. Exit codes are in {@link ExitCodes}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = run(args, System.getenv(), Path.of(System.getProperty("user.home")), out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line with this environment and home folder; answers the exit code. */
  public static int run(
      String[] args, Map<String, String> env, Path home, PrintWriter out, PrintWriter err) {
    ChimeCommand root = new ChimeCommand(env, home);
    CommandLine line = commandLine(root);
    line.setOut(out);
    line.setErr(err);
    try {
      return line.execute(args);
    } finally {
      root.close();
    }
  }

  static CommandLine commandLine(ChimeCommand root) {
    CommandLine line = new CommandLine(root);
    line.setExecutionExceptionHandler(new Failures());
    line.setParameterExceptionHandler(
        (problem, args) -> {
          CommandLine failed = problem.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println("chime: " + problem.getMessage());
          if (!CommandLine.UnmatchedArgumentException.printSuggestions(problem, err)) {
            err.println(
                "See '" + failed.getCommandSpec().qualifiedName() + " --help' for the options.");
          }
          return ExitCodes.USAGE;
        });
    line.setCaseInsensitiveEnumValuesAllowed(true);
    return line;
  }
}
