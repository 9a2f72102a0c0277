package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.client.Chime;
import dev.chime.client.ChimeJson;
import dev.chime.client.HttpTarget;
import dev.chime.client.Schedule;
import dev.chime.client.ScheduleQuery;
import dev.chime.client.ScheduleSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Works out what makes Chime match a set of schedules, matched by name. With an owner, every
 * schedule of the files carries the label {@code managed-by=<owner>}; an existing schedule of the
 * same name without it is taken over only when asked ({@code adopt}); and pruning deletes only
 * schedules that carry it.
 */
final class Planner {
  static final String OWNER_LABEL = "managed-by";

  private Planner() {}

  static Plan plan(
      Chime chime,
      List<ScheduleFiles.Entry> entries,
      Optional<String> owner,
      boolean prune,
      boolean adopt) {
    if (prune && owner.isEmpty()) {
      throw new UsageException(
          "--prune deletes only schedules the files own: name the owner with --owner NAME");
    }
    List<String> refused = new ArrayList<>();
    Map<String, ScheduleSpec> desired = new LinkedHashMap<>();
    Map<String, String> sources = new HashMap<>();
    for (ScheduleFiles.Entry entry : entries) {
      ScheduleSpec spec = entry.spec();
      String theirs = spec.labels().get(OWNER_LABEL);
      if (owner.isPresent() && theirs != null && !theirs.equals(owner.get())) {
        refused.add(
            entry.source()
                + ": has the label "
                + OWNER_LABEL
                + "="
                + theirs
                + ", not "
                + owner.get());
        continue;
      }
      if (owner.isPresent()) {
        spec = spec.toBuilder().label(OWNER_LABEL, owner.get()).build();
      }
      String before = sources.putIfAbsent(spec.name(), entry.source());
      if (before != null) {
        refused.add(entry.source() + ": the name '" + spec.name() + "' is also in " + before);
        continue;
      }
      desired.put(spec.name(), spec);
    }

    Map<String, Schedule> current = new LinkedHashMap<>();
    for (Schedule schedule : chime.listSchedules(ScheduleQuery.all().withPageSize(500))) {
      current.put(schedule.name(), schedule);
    }

    List<Plan.Change> changes = new ArrayList<>();
    for (ScheduleSpec spec : desired.values()) {
      Schedule there = current.get(spec.name());
      if (there == null) {
        changes.add(
            new Plan.Change(
                Plan.Kind.CREATE, spec.name(), Optional.empty(), Optional.of(spec), List.of()));
      } else if (there.spec().equals(spec)) {
        changes.add(
            new Plan.Change(
                Plan.Kind.UNCHANGED,
                spec.name(),
                Optional.of(there),
                Optional.of(spec),
                List.of()));
      } else if (owner.isPresent() && !owned(there, owner.get()) && !adopt) {
        refused.add(
            sources.get(spec.name())
                + ": Chime already has a schedule '"
                + spec.name()
                + "' without the label "
                + OWNER_LABEL
                + "="
                + owner.get()
                + "; --adopt takes it over");
      } else {
        changes.add(
            new Plan.Change(
                Plan.Kind.UPDATE,
                spec.name(),
                Optional.of(there),
                Optional.of(spec),
                differences(there.spec(), spec)));
      }
    }
    if (prune) {
      for (Schedule schedule : current.values()) {
        if (owned(schedule, owner.get()) && !desired.containsKey(schedule.name())) {
          changes.add(
              new Plan.Change(
                  Plan.Kind.DELETE,
                  schedule.name(),
                  Optional.of(schedule),
                  Optional.empty(),
                  List.of()));
        }
      }
    }
    if (!refused.isEmpty()) {
      throw new RefusedException("nothing was changed:\n  " + String.join("\n  ", refused));
    }
    return new Plan(changes);
  }

  private static boolean owned(Schedule schedule, String owner) {
    return owner.equals(schedule.labels().get(OWNER_LABEL));
  }

  /**
   * The fields that differ, as {@code path: before -> after}; a secret header's value is never
   * shown (Chime shows its mask, a file may give a new value).
   */
  static List<String> differences(ScheduleSpec before, ScheduleSpec after) {
    Map<String, String> was = new LinkedHashMap<>();
    Map<String, String> will = new LinkedHashMap<>();
    flatten("", masked(before), was);
    flatten("", masked(after), will);
    Set<String> paths = new LinkedHashSet<>(was.keySet());
    paths.addAll(will.keySet());
    List<String> differences = new ArrayList<>();
    for (String path : paths) {
      String from = was.getOrDefault(path, "(none)");
      String to = will.getOrDefault(path, "(none)");
      if (!from.equals(to)) {
        differences.add(path + ": " + from + " -> " + to);
      }
    }
    return differences;
  }

  private static JsonNode masked(ScheduleSpec spec) {
    ObjectNode json = ChimeJson.write(spec);
    if (spec.target() instanceof HttpTarget http) {
      http.secretHeaders()
          .forEach(
              (name, value) -> {
                if (!value.equals(HttpTarget.SECRET_MASK)) {
                  ((ObjectNode) json.path("target").path("headers").path(name))
                      .put("value", "(a new value)");
                }
              });
    }
    return json;
  }

  private static void flatten(String path, JsonNode node, Map<String, String> into) {
    // the payload is one value: its inner changes read better whole
    if (node.isObject() && !path.equals("payload") && !node.isEmpty()) {
      node.fields()
          .forEachRemaining(field -> flatten(join(path, field.getKey()), field.getValue(), into));
    } else if (!node.isNull()) {
      into.put(path, node.toString());
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
