package dev.chime.cli;

import dev.chime.client.Chime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root of {@code chime}: where the server is, which token, how to print. */
@Command(
    name = "chime",
    mixinStandardHelpOptions = true,
    version = "chime 0.1.0",
    description = "Schedules and runs of a Chime server, from a terminal or a script.",
    subcommands = {
      SchedulesCommand.class,
      RunsCommand.class,
      CronCommand.class,
      ExportCommand.class,
      ApplyCommand.class,
      ImportCommand.class,
      AutoComplete.GenerateCompletion.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0 ok, 1 usage, 2 not found, 3 refused or invalid input, 4 token refused or lacking a"
          + " scope, 5 server unreachable or failing, 6 a waited-for run did not succeed",
      "",
      "Server and token: --server/--token, else CHIME_URL/CHIME_TOKEN, else url=/token= in"
          + " $XDG_CONFIG_HOME/chime/config (~/.config/chime/config); the URL defaults to"
          + " http://localhost:8080."
    })
public final class ChimeCommand {
  /** How a command prints what it read. */
  enum Format {
    TABLE,
    JSON
  }

  private final Map<String, String> env;
  private final Path home;
  private Chime client;

  @Option(
      names = "--server",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "Chime's base URL (default: CHIME_URL, the config file, http://localhost:8080)")
  private String url;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      paramLabel = "TOKEN",
      description = "the API token (default: CHIME_TOKEN, the config file)")
  private String token;

  @Option(
      names = "--token-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "read the token from this file, such as data/admin-token")
  private Path tokenFile;

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "the config file (default: $XDG_CONFIG_HOME/chime/config or ~/.config/chime/config)")
  private Path config;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "table|json",
      description = "print tables for people (default) or JSON for programs")
  private Format format = Format.TABLE;

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "how long one request may wait for its answer (default 30s)")
  private Duration timeout = Duration.ofSeconds(30);

  ChimeCommand(Map<String, String> env, Path home) {
    this.env = env;
    this.home = home;
  }

  java.io.InputStream stdin() {
    return System.in;
  }

  /** Closes the client, if one was made. */
  void close() {
    if (client != null) {
      client.close();
    }
  }

  Format format() {
    return format;
  }

  Map<String, String> env() {
    return env;
  }

  /** The client, made at the first use from the flags, the environment and the config file. */
  Chime client() {
    if (client == null) {
      Connection connection =
          Connection.resolve(
              Optional.ofNullable(url),
              Optional.ofNullable(token),
              Optional.ofNullable(tokenFile),
              Optional.ofNullable(config),
              env,
              home);
      Chime.Builder builder =
          Chime.builder(connection.url()).requestTimeout(timeout).connectTimeout(timeout);
      connection.token().ifPresent(builder::token);
      try {
        client = builder.build();
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    return client;
  }
}
