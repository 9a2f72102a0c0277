package dev.chime.cli;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a standard crontab, read as cron reads them: 5 time fields and a command (with a
 * user field between them in a system crontab), {@code @hourly}-style macros, {@code CRON_TZ=} for
 * the zone of the lines below it, and {@code %} for the command's standard input. What Chime has no
 * use for is told as a note, what it cannot do as a refusal with the reason; a {@code # chime:}
 * comment gives the next entry its {@code url}, {@code name} or {@code method}.
 */
final class Crontab {
  private static final Pattern VARIABLE =
      Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*)$");
  private static final Pattern FIVE_FIELDS =
      Pattern.compile("^(\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+)\\s+(.*)$");
  private static final Pattern MACRO = Pattern.compile("^(@[a-z]+)(?:\\s+(.*))?$");
  private static final Pattern USER_AND_COMMAND = Pattern.compile("^(\\S+)\\s+(.*)$");
  private static final Set<String> MACROS =
      Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

  /**
   * One job: its line, its cron expression and zone, the command, and its {@code # chime:} keys.
   */
  record Job(
      int line,
      String text,
      String expr,
      ZoneId zone,
      String command,
      Optional<String> stdin,
      Optional<String> user,
      Map<String, String> directives) {}

  /** What a crontab holds: its jobs, notes on what was ignored, and the lines refused, with why. */
  record Reading(List<Job> jobs, List<String> notes, List<String> refused) {}

  private Crontab() {}

  static Reading read(List<String> lines, ZoneId zone, boolean system) {
    List<Job> jobs = new ArrayList<>();
    Set<String> notes = new LinkedHashSet<>();
    List<String> refused = new ArrayList<>();
    Map<String, String> directives = new HashMap<>();
    ZoneId current = zone;
    for (int i = 0; i < lines.size(); i++) {
      int number = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        String comment = line.substring(1).strip();
        if (comment.startsWith("chime:")) {
          directives.putAll(directives(comment.substring("chime:".length()), number, refused));
        }
        continue;
      }
      Matcher variable = VARIABLE.matcher(line);
      if (variable.matches()) {
        String name = variable.group(1);
        String value = unquote(variable.group(2).strip());
        switch (name) {
          case "CRON_TZ" -> {
            try {
              current = ZoneId.of(value);
            } catch (DateTimeException e) {
              refused.add(
                  "line "
                      + number
                      + ": CRON_TZ="
                      + value
                      + " is not a time zone Chime knows (an IANA id such as Europe/Berlin)");
            }
          }
          case "MAILTO" ->
              notes.add(
                  "MAILTO is ignored: Chime mails nothing; it records every run ('chime runs list') and its alerts go where the server sends them");
          case "TZ" ->
              notes.add(
                  "TZ is ignored: it set the jobs' environment, not their times; CRON_TZ= or --tz sets the zone the times are read in");
          default ->
              notes.add(name + " is ignored: the target runs the command in its own environment");
        }
        continue;
      }
      Optional<Job> job = job(number, line, current, system, directives, refused);
      job.ifPresent(jobs::add);
      directives = new HashMap<>();
    }
    return new Reading(jobs, List.copyOf(notes), refused);
  }

  private static Optional<Job> job(
      int number,
      String line,
      ZoneId zone,
      boolean system,
      Map<String, String> directives,
      List<String> refused) {
    String expr;
    String rest;
    Matcher macro = MACRO.matcher(line);
    if (macro.matches()) {
      expr = macro.group(1);
      rest = macro.group(2) == null ? "" : macro.group(2).strip();
      if (expr.equals("@reboot")) {
        refused.add(
            "line "
                + number
                + ": @reboot is refused: Chime fires at times of the clock, not when a"
                + " machine starts; start this job from the machine's service manager (a systemd unit) instead");
        return Optional.empty();
      }
      if (!MACROS.contains(expr)) {
        refused.add(
            "line "
                + number
                + ": "
                + expr
                + " is not a cron macro ("
                + String.join(" ", MACROS.stream().sorted().toList())
                + ")");
        return Optional.empty();
      }
    } else {
      Matcher fields = FIVE_FIELDS.matcher(line);
      if (!fields.matches()) {
        refused.add(
            "line "
                + number
                + ": not a crontab entry (5 time fields and a command, a macro such as @daily, or NAME=value)");
        return Optional.empty();
      }
      expr = fields.group(1).replaceAll("\\s+", " ");
      rest = fields.group(2).strip();
    }
    Optional<String> user = Optional.empty();
    if (system) {
      Matcher split = USER_AND_COMMAND.matcher(rest);
      if (!split.matches()) {
        refused.add(
            "line "
                + number
                + ": a system crontab line needs a user and a command after the times");
        return Optional.empty();
      }
      user = Optional.of(split.group(1));
      rest = split.group(2).strip();
    }
    if (rest.isEmpty()) {
      refused.add("line " + number + ": no command after the times");
      return Optional.empty();
    }
    String[] command = percent(rest);
    return Optional.of(
        new Job(
            number,
            line,
            expr,
            zone,
            command[0],
            Optional.ofNullable(command[1]),
            user,
            Map.copyOf(directives)));
  }

  /**
   * The command and its standard input: cron sends the text after the first unescaped {@code %} to
   * the command's stdin, each further {@code %} a line break; {@code \%} is a plain {@code %}.
   */
  static String[] percent(String text) {
    StringBuilder command = new StringBuilder();
    StringBuilder stdin = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      StringBuilder into = stdin == null ? command : stdin;
      if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '%') {
        into.append('%');
        i++;
      } else if (c == '%') {
        if (stdin == null) {
          stdin = new StringBuilder();
        } else {
          stdin.append('\n');
        }
      } else {
        into.append(c);
      }
    }
    return new String[] {command.toString().strip(), stdin == null ? null : stdin.toString()};
  }

  private static Map<String, String> directives(String text, int number, List<String> refused) {
    Map<String, String> found = new HashMap<>();
    for (String pair : text.strip().split("\\s+")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (equals < 0 || !Set.of("url", "name", "method").contains(key)) {
        refused.add(
            "line " + number + ": '# chime:' takes url=, name= and method=; got '" + pair + "'");
        continue;
      }
      found.put(key, unquote(pair.substring(equals + 1)));
    }
    return found;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
