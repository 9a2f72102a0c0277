package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.server.testing.ChimeTestNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code chime} in this JVM against a test node, as a user with CHIME_URL and CHIME_TOKEN. */
final class Cli {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What a command printed and exited with. */
  record Result(int exit, String out, String err) {
    JsonNode json() {
      try {
        return MAPPER.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private final Map<String, String> env = new HashMap<>();
  private final Path home;

  Cli(ChimeTestNode node) {
    env.put("CHIME_URL", node.url("").toString());
    env.put("CHIME_TOKEN", ChimeTestNode.ADMIN_TOKEN);
    try {
      home = Files.createTempDirectory("chime-cli-home");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Cli env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  Path home() {
    return home;
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, Map.copyOf(env), home, new PrintWriter(out), new PrintWriter(err));
    return new Result(exit, out.toString(), err.toString());
  }
}
