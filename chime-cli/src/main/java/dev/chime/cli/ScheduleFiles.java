package dev.chime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.chime.client.ChimeJson;
import dev.chime.client.FieldError;
import dev.chime.client.InvalidSpecException;
import dev.chime.client.ScheduleSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Schedules in files: YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}), a folder of them,
 * or stdin ({@code -}, YAML or JSON). A document is one schedule (an object with a {@code name}), a
 * list of them, or an object whose {@code schedules} is that list; a YAML file may hold several
 * documents split by {@code ---}.
 *
 * <p>A secret header whose value is {@code ${NAME}} takes the value of the environment variable
 * {@code NAME}, so that a file kept in git names a secret without holding it.
 */
final class ScheduleFiles {
  static final ObjectMapper JSON = new ObjectMapper();
  static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .build();

  private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /** One schedule of a file, and where it stands, for messages. */
  record Entry(String source, ScheduleSpec spec) {}

  private ScheduleFiles() {}

  /** Every schedule of every path; every problem of every file is reported at once. */
  static List<Entry> read(List<Path> paths, InputStream stdin, Map<String, String> env) {
    List<Entry> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path path : paths) {
      for (Path file : files(path)) {
        try {
          List<JsonNode> documents = documents(file, stdin);
          for (int d = 0; d < documents.size(); d++) {
            String where = file + (documents.size() > 1 ? " (document " + (d + 1) + ")" : "");
            schedules(documents.get(d), where, env, entries, problems);
          }
        } catch (IOException e) {
          problems.add(file + ": cannot be read: " + message(e));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new RefusedException(
          "the files hold errors; nothing was changed:\n  " + String.join("\n  ", problems));
    }
    return entries;
  }

  /** The one schedule a file holds. */
  static ScheduleSpec single(Path file, InputStream stdin, Map<String, String> env) {
    List<Entry> entries = read(List.of(file), stdin, env);
    if (entries.size() != 1) {
      throw new RefusedException(
          file + " holds " + entries.size() + " schedules; one is needed here");
    }
    return entries.get(0).spec();
  }

  private static List<Path> files(Path path) {
    if (path.toString().equals("-") || !Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(file -> file.getFileName().toString().matches(".*\\.(ya?ml|json)$"))
          .filter(file -> !file.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new RefusedException(path + ": cannot be read: " + message(e));
    }
  }

  private static List<JsonNode> documents(Path file, InputStream stdin) throws IOException {
    boolean json = file.toString().endsWith(".json");
    String text =
        file.toString().equals("-")
            ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
            : Files.readString(file);
    if (json) {
      return List.of(JSON.readTree(text));
    }
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> all = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (all.hasNextValue()) {
        JsonNode document = all.nextValue();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    }
    return documents;
  }

  private static void schedules(
      JsonNode document,
      String where,
      Map<String, String> env,
      List<Entry> entries,
      List<String> problems) {
    JsonNode list = document;
    String prefix = "";
    if (document.isObject() && document.has("schedules")) {
      list = document.get("schedules");
      prefix = "schedules";
      if (!list.isArray()) {
        problems.add(where + ": schedules must be a list");
        return;
      }
    }
    if (!list.isArray()) {
      spec(document, where, env, entries, problems);
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      spec(list.get(i), where + ": " + prefix + "[" + i + "]", env, entries, problems);
    }
  }

  private static void spec(
      JsonNode node,
      String where,
      Map<String, String> env,
      List<Entry> entries,
      List<String> problems) {
    try {
      ScheduleSpec spec = ChimeJson.readSpec(secretsFromEnv(node, where, env, problems));
      entries.add(new Entry(where + " (" + spec.name() + ")", spec));
    } catch (InvalidSpecException e) {
      for (FieldError error : e.errors()) {
        problems.add(where + ": " + error.field() + ": " + error.reason());
      }
    }
  }

  /** The schedule with each secret header's {@code ${NAME}} replaced by the variable's value. */
  private static JsonNode secretsFromEnv(
      JsonNode node, String where, Map<String, String> env, List<String> problems) {
    if (!node.path("target").path("headers").isObject()) {
      return node;
    }
    JsonNode copy = node.deepCopy();
    for (Map.Entry<String, JsonNode> header : copy.path("target").path("headers").properties()) {
      JsonNode value = header.getValue();
      Matcher ref = ENV_REF.matcher(value.path("value").asText(""));
      if (value.isObject() && value.path("secret").asBoolean(false) && ref.matches()) {
        String given = env.get(ref.group(1));
        if (given == null) {
          problems.add(
              where
                  + ": target.headers."
                  + header.getKey()
                  + ".value: names the environment variable "
                  + ref.group(1)
                  + ", which is not set");
        } else {
          ((ObjectNode) value).put("value", given);
        }
      }
    }
    return copy;
  }

  private static String message(IOException e) {
    if (e instanceof JsonProcessingException parse) {
      return parse.getOriginalMessage()
          + (parse.getLocation() == null ? "" : " (line " + parse.getLocation().getLineNr() + ")");
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
