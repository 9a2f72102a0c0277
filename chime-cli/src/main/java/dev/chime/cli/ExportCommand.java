package dev.chime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.client.ChimeJson;
import dev.chime.client.Schedule;
import dev.chime.client.ScheduleQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chime export}: the tenant's schedules as files {@code chime apply} reads back, without
 * what Chime keeps (ids, next fire, health) and without the members that hold defaults.
 */
@Command(
    name = "export",
    description = "Write the tenant's schedules as YAML or JSON, for 'chime apply' to read back.")
final class ExportCommand extends Subcommand implements Callable<Integer> {
  enum FileFormat {
    YAML,
    JSON
  }

  @Option(
      names = "--format",
      paramLabel = "yaml|json",
      description = "the file format (default yaml)")
  FileFormat fileFormat = FileFormat.YAML;

  @Option(
      names = "--label",
      paramLabel = "SELECTOR",
      description = "only the schedules a label selector matches")
  String label;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "one file a schedule in this folder, instead of one stream on stdout")
  Path dir;

  @Override
  public Integer call() throws IOException {
    ScheduleQuery query = ScheduleQuery.all().withPageSize(500);
    if (label != null) {
      query = query.withLabel(label);
    }
    List<Schedule> schedules = chime().listSchedules(query).toList();
    if (dir == null) {
      ObjectNode document = ScheduleFiles.JSON.createObjectNode();
      ArrayNode list = document.putArray("schedules");
      schedules.forEach(schedule -> list.add(ChimeJson.writeCompact(schedule.spec())));
      printer().line(text(document).stripTrailing());
      return ExitCodes.OK;
    }
    Files.createDirectories(dir);
    Set<String> taken = new HashSet<>();
    for (Schedule schedule : schedules) {
      String base = schedule.name().replaceAll("[^A-Za-z0-9._-]", "_");
      String name = base;
      for (int n = 2; !taken.add(name.toLowerCase(java.util.Locale.ROOT)); n++) {
        name = base + "-" + n;
      }
      Path file = dir.resolve(name + (fileFormat == FileFormat.YAML ? ".yaml" : ".json"));
      Files.writeString(file, text(ChimeJson.writeCompact(schedule.spec())));
    }
    spec.commandLine().getErr().println("wrote " + schedules.size() + " schedule(s) to " + dir);
    return ExitCodes.OK;
  }

  private String text(JsonNode node) throws JsonProcessingException {
    return fileFormat == FileFormat.YAML
        ? ScheduleFiles.YAML.writeValueAsString(node)
        : ScheduleFiles.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
  }
}
