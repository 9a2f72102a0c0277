package dev.chime.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Which server and which token: a flag first, then {@code CHIME_URL}/{@code CHIME_TOKEN}, then the
 * config file ({@code url=}, {@code token=} or {@code token_file=}, as Java properties).
 */
record Connection(String url, Optional<String> token) {
  static final String DEFAULT_URL = "http://localhost:8080";

  static Connection resolve(
      Optional<String> urlFlag,
      Optional<String> tokenFlag,
      Optional<Path> tokenFileFlag,
      Optional<Path> configFlag,
      Map<String, String> env,
      Path home) {
    Properties file = configFile(configFlag, env, home);
    String url =
        urlFlag
            .or(() -> nonBlank(env.get("CHIME_URL")))
            .or(() -> nonBlank(file.getProperty("url")))
            .orElse(DEFAULT_URL);
    Optional<String> token =
        tokenFlag
            .or(() -> tokenFileFlag.map(Connection::readToken))
            .or(() -> nonBlank(env.get("CHIME_TOKEN")))
            .or(() -> nonBlank(file.getProperty("token")))
            .or(
                () ->
                    nonBlank(file.getProperty("token_file"))
                        .map(Path::of)
                        .map(Connection::readToken));
    return new Connection(url, token);
  }

  /** The config file's settings; none when there is no file at the default place. */
  private static Properties configFile(Optional<Path> flag, Map<String, String> env, Path home) {
    Path path =
        flag.orElseGet(
            () ->
                nonBlank(env.get("XDG_CONFIG_HOME"))
                    .map(Path::of)
                    .orElse(home.resolve(".config"))
                    .resolve("chime")
                    .resolve("config"));
    Properties properties = new Properties();
    if (flag.isEmpty() && !Files.exists(path)) {
      return properties;
    }
    try (Reader reader = Files.newBufferedReader(path)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UsageException("cannot read the config file " + path + ": " + e.getMessage());
    }
    return properties;
  }

  private static String readToken(Path file) {
    try {
      String token = Files.readString(file).strip();
      if (token.isEmpty()) {
        throw new UsageException("the token file " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new UsageException("cannot read the token file " + file + ": " + e.getMessage());
    }
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
