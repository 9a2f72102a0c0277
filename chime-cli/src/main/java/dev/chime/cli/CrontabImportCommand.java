package dev.chime.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.client.Chime;
import dev.chime.client.HttpTarget;
import dev.chime.client.InvalidInputException;
import dev.chime.client.ScheduleSpec;
import dev.chime.client.Trigger;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chime import crontab FILE}: one schedule a crontab line, whose target gets the command in
 * its payload. Importing the same file again changes nothing (schedules are matched by name).
 */
@Command(
    name = "crontab",
    description = {
      "Make a schedule of each line of a crontab. The target is --url, or the url= of a"
          + " '# chime: url=... name=... method=...' comment above the line; its payload is"
          + " {\"command\": ..., \"stdin\": ..., \"user\": ...}.",
      "The times are read in --tz (default: this machine's zone) until a CRON_TZ= line; MAILTO and"
          + " other variables are ignored with a note; @reboot is refused. Any refused line stops"
          + " the import (exit 3) unless --skip-refused."
    })
final class CrontabImportCommand extends Subcommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "FILE",
      description = "the crontab ('-': stdin, as 'crontab -l | chime import crontab -')")
  Path file;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "the target of every line without a '# chime: url='")
  String url;

  @Option(
      names = "--method",
      paramLabel = "METHOD",
      description = "the targets' method (default POST)")
  String method = "POST";

  @Option(
      names = "--tz",
      paramLabel = "ZONE",
      description = "the zone the times are read in (default: this machine's)")
  ZoneId zone;

  @Option(
      names = "--system",
      description = "a system crontab (/etc/crontab): a user field comes before the command")
  boolean system;

  @Option(
      names = "--name-prefix",
      paramLabel = "PREFIX",
      description = "the start of the names made from commands (default cron-)")
  String prefix = "cron-";

  @Option(
      names = "--label",
      paramLabel = "NAME=VALUE",
      description = "a label for every schedule made; repeatable")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--skip-refused", description = "import the other lines when some are refused")
  boolean skipRefused;

  @Mixin ApplyOptions options;

  @Override
  public Integer call() throws IOException {
    List<String> lines =
        file.toString().equals("-")
            ? new String(stdin().readAllBytes(), StandardCharsets.UTF_8).lines().toList()
            : Files.readAllLines(file);
    ZoneId start = zone == null ? ZoneId.systemDefault() : zone;
    Crontab.Reading reading = Crontab.read(lines, start, system);
    PrintWriter err = spec.commandLine().getErr();
    if (zone == null) {
      err.println(
          "note: times are read in "
              + start.getId()
              + ", this machine's zone (until a CRON_TZ= line); --tz sets another");
    }
    reading.notes().forEach(note -> err.println("note: " + note));

    Chime chime = chime();
    List<String> refused = new ArrayList<>(reading.refused());
    List<ScheduleFiles.Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Crontab.Job job : reading.jobs()) {
      spec(job, names, refused)
          .ifPresent(spec -> entries.add(new ScheduleFiles.Entry("line " + job.line(), spec)));
    }
    // Chime reads the expressions before anything is made, so a bad line stops the import whole
    for (ScheduleFiles.Entry entry : entries) {
      Trigger.Cron cron = (Trigger.Cron) entry.spec().trigger();
      try {
        if (chime.previewCron(cron.expr(), cron.timezone(), 1).fires().isEmpty()) {
          refused.add(entry.source() + ": '" + cron.expr() + "' never fires");
        }
      } catch (InvalidInputException e) {
        refused.add(
            entry.source()
                + ": "
                + e.errors().stream().map(Object::toString).findFirst().orElse(e.detail()));
      }
    }
    if (!refused.isEmpty()) {
      refused.sort(java.util.Comparator.comparingInt(CrontabImportCommand::lineNumber));
      entries.removeIf(
          entry -> refused.stream().anyMatch(line -> line.startsWith(entry.source() + ":")));
      if (!skipRefused && !options.dryRun) {
        throw new RefusedException(
            "nothing was imported; these lines are refused (--skip-refused imports the others):\n  "
                + String.join("\n  ", refused));
      }
      refused.forEach(line -> err.println((skipRefused ? "skipped: " : "refused: ") + line));
    }
    err.flush();
    Plan plan = Planner.plan(chime, entries, options.owner(), false, options.adopt);
    int code = Applier.apply(chime, plan, options.dryRun, this);
    return refused.isEmpty() || skipRefused ? code : ExitCodes.REFUSED;
  }

  private Optional<ScheduleSpec> spec(Crontab.Job job, Set<String> names, List<String> refused) {
    String target = job.directives().getOrDefault("url", url);
    if (target == null) {
      refused.add(
          "line "
              + job.line()
              + ": no target: give --url, or a '# chime: url=...' comment above the line");
      return Optional.empty();
    }
    String name =
        job.directives().getOrDefault("name", unique(prefix + slug(job.command()), names));
    names.add(name.toLowerCase(Locale.ROOT));
    ObjectNode payload = ScheduleFiles.JSON.createObjectNode().put("command", job.command());
    job.stdin().ifPresent(stdin -> payload.put("stdin", stdin));
    job.user().ifPresent(user -> payload.put("user", user));
    try {
      HttpTarget http =
          HttpTarget.post(target).withMethod(job.directives().getOrDefault("method", method));
      String description = "imported from crontab: " + job.text();
      return Optional.of(
          ScheduleSpec.builder(name, Trigger.cron(job.expr(), job.zone().getId()), http)
              .description(
                  description.length() > 2000 ? description.substring(0, 2000) : description)
              .labels(labels)
              .payload(payload)
              .build());
    } catch (IllegalArgumentException e) {
      refused.add("line " + job.line() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * A name from the command's first words: {@code /usr/local/bin/backup.sh --full} is {@code
   * backup-sh-full}.
   */
  static String slug(String command) {
    List<String> words = new ArrayList<>();
    for (String word : command.split("\\s+")) {
      String last = word.substring(word.lastIndexOf('/') + 1);
      String cleaned =
          last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
      if (!cleaned.isEmpty()) {
        words.add(cleaned);
      }
      if (words.size() == 3) {
        break;
      }
    }
    String slug = String.join("-", words);
    slug = slug.length() > 60 ? slug.substring(0, 60) : slug;
    return slug.isEmpty() ? "job" : slug;
  }

  private static String unique(String base, Set<String> names) {
    String name = base;
    for (int n = 2; names.contains(name.toLowerCase(Locale.ROOT)); n++) {
      name = base + "-" + n;
    }
    return name;
  }

  private static int lineNumber(String refusal) {
    java.util.regex.Matcher number =
        java.util.regex.Pattern.compile("^line (\\d+)").matcher(refusal);
    return number.find() ? Integer.parseInt(number.group(1)) : 0;
  }
}
