package dev.chime.engine;

import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.PolicyJson;
import dev.chime.schedule.RunPolicy;
import dev.chime.schedule.ScheduleJson;
import dev.chime.schedule.TargetJson;
import dev.chime.schedule.Trigger;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Triggers, targets and policies read from their stored JSON, kept by that text: a schedule claimed
 * again and again, or many schedules with the same target, are parsed once. A change of a schedule
 * changes its text, so nothing stale is ever used. Bounded: past {@code MAX} entries a map starts
 * over. Used by the engine loop thread alone.
 */
final class ParsedColumns {
  private static final int MAX = 50_000;

  private final Map<String, Trigger> triggers = new HashMap<>();
  private final Map<String, HttpTarget> targets = new HashMap<>();
  private final Map<String, RunPolicy> policies = new HashMap<>();

  Trigger trigger(String json) {
    return cached(triggers, json, ScheduleJson::storedTrigger);
  }

  HttpTarget target(String json) {
    return cached(targets, json, TargetJson::stored);
  }

  RunPolicy policy(String json) {
    return cached(policies, json, PolicyJson::fromStored);
  }

  private static <T> T cached(Map<String, T> map, String json, Function<String, T> parse) {
    T value = map.get(json);
    if (value == null) {
      if (map.size() >= MAX) {
        map.clear();
      }
      value = parse.apply(json);
      map.put(json, value);
    }
    return value;
  }
}
