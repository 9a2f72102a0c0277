package dev.chime.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads and writes a schedule's run policies: {@code retry_policy}, {@code catchup_window_s},
 * {@code max_concurrency}, {@code overlap_policy}, {@code auto_disable_after}. They are fields of
 * the schedule object; absent fields take their defaults.
 */
public final class PolicyJson {
  public static final String RETRY_POLICY = "retry_policy";
  public static final String CATCHUP_WINDOW_S = "catchup_window_s";
  public static final String MAX_CONCURRENCY = "max_concurrency";
  public static final String OVERLAP_POLICY = "overlap_policy";
  public static final String AUTO_DISABLE_AFTER = "auto_disable_after";

  static final long MAX_CATCHUP_WINDOW_S = 7 * 86_400;
  static final int MAX_CONCURRENCY_LIMIT = 100;
  static final int MAX_AUTO_DISABLE = 1_000;

  private PolicyJson() {}

  /** Reads the policy fields of a schedule object, with defaults for those absent. */
  static RunPolicy read(JsonNode schedule, ScheduleJson.Errors errors) {
    RetryPolicy retry = RetryPolicy.DEFAULT;
    JsonNode retryNode = schedule.get(RETRY_POLICY);
    if (retryNode != null && !retryNode.isNull()) {
      retry = readRetry(retryNode, errors);
    }
    long window =
        JsonFields.wholeNumber(
            schedule,
            CATCHUP_WINDOW_S,
            CATCHUP_WINDOW_S,
            0,
            MAX_CATCHUP_WINDOW_S,
            RunPolicy.DEFAULT_CATCHUP_WINDOW.toSeconds(),
            errors);
    long concurrency =
        JsonFields.wholeNumber(
            schedule, MAX_CONCURRENCY, MAX_CONCURRENCY, 1, MAX_CONCURRENCY_LIMIT, 1, errors);
    OverlapPolicy overlap = OverlapPolicy.SKIP;
    JsonNode overlapNode = schedule.get(OVERLAP_POLICY);
    if (overlapNode != null && !overlapNode.isNull()) {
      overlap = null;
      if (overlapNode.isTextual()) {
        for (OverlapPolicy candidate : OverlapPolicy.values()) {
          if (candidate.wireName().equals(overlapNode.textValue())) {
            overlap = candidate;
          }
        }
      }
      if (overlap == null) {
        errors.add(OVERLAP_POLICY, "must be skip, queue_one, allow or cancel_running");
      }
    }
    OptionalInt autoDisable = OptionalInt.empty();
    JsonNode autoNode = schedule.get(AUTO_DISABLE_AFTER);
    if (autoNode != null && !autoNode.isNull()) {
      long value =
          JsonFields.wholeNumber(
              schedule, AUTO_DISABLE_AFTER, AUTO_DISABLE_AFTER, 1, MAX_AUTO_DISABLE, 1, errors);
      autoDisable = OptionalInt.of((int) value);
    }
    if (retry == null || overlap == null) {
      return null;
    }
    return new RunPolicy(
        retry, Duration.ofSeconds(window), (int) concurrency, overlap, autoDisable);
  }

  private static RetryPolicy readRetry(JsonNode node, ScheduleJson.Errors errors) {
    String path = RETRY_POLICY;
    if (!node.isObject()) {
      errors.add(path, "must be an object such as {\"max_attempts\":3,\"backoff\":[30,60]}");
      return null;
    }
    Set<String> known =
        Set.of("max_attempts", "backoff", "initial_s", "multiplier", "max_s", "jitter");
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        errors.add(
            path + "." + field,
            "unknown field; a retry policy has max_attempts and either backoff or"
                + " initial_s, multiplier, max_s, jitter");
      }
    }
    int before = errors.size();
    int maxAttempts =
        (int)
            JsonFields.wholeNumber(
                node,
                "max_attempts",
                path + ".max_attempts",
                1,
                RetryPolicy.MAX_ATTEMPTS,
                3,
                errors);
    boolean exponential =
        node.has("initial_s") || node.has("multiplier") || node.has("max_s") || node.has("jitter");
    if (node.has("backoff") && exponential) {
      errors.add(path, "has either a backoff list or initial_s/multiplier/max_s/jitter, not both");
      return null;
    }
    if (exponential) {
      long initial =
          JsonFields.wholeNumber(
              node, "initial_s", path + ".initial_s", 1, RetryPolicy.MAX_WAIT_S, 30, errors);
      long max =
          JsonFields.wholeNumber(
              node, "max_s", path + ".max_s", 1, RetryPolicy.MAX_WAIT_S, 3_600, errors);
      double multiplier =
          JsonFields.fraction(node, "multiplier", path + ".multiplier", 1, 10, 2, errors);
      double jitter = JsonFields.fraction(node, "jitter", path + ".jitter", 0, 1, 0, errors);
      if (errors.size() == before && max < initial) {
        errors.add(path + ".max_s", "must be at least initial_s (" + initial + "), got " + max);
      }
      if (errors.size() > before) {
        return null;
      }
      return new RetryPolicy.Exponential(
          maxAttempts, Duration.ofSeconds(initial), multiplier, Duration.ofSeconds(max), jitter);
    }
    List<Duration> backoff = new ArrayList<>();
    JsonNode list = node.get("backoff");
    if (list == null || list.isNull()) {
      backoff.addAll(((RetryPolicy.Backoff) RetryPolicy.DEFAULT).backoff());
    } else if (!list.isArray() || list.isEmpty() || list.size() > RetryPolicy.MAX_ATTEMPTS) {
      errors.add(
          path + ".backoff",
          "must be a list of 1 to " + RetryPolicy.MAX_ATTEMPTS + " waits in seconds");
    } else {
      for (int i = 0; i < list.size(); i++) {
        JsonNode wait = list.get(i);
        if (!wait.isIntegralNumber()
            || wait.longValue() < 1
            || wait.longValue() > RetryPolicy.MAX_WAIT_S) {
          errors.add(
              path + ".backoff[" + i + "]",
              "must be a whole number of seconds from 1 to " + RetryPolicy.MAX_WAIT_S);
        } else {
          backoff.add(Duration.ofSeconds(wait.longValue()));
        }
      }
    }
    if (errors.size() > before) {
      return null;
    }
    return new RetryPolicy.Backoff(maxAttempts, backoff);
  }

  /** Writes the policy fields into a schedule object. */
  public static void write(RunPolicy policy, ObjectNode schedule) {
    ObjectNode retry = schedule.putObject(RETRY_POLICY);
    retry.put("max_attempts", policy.retry().maxAttempts());
    switch (policy.retry()) {
      case RetryPolicy.Backoff backoff -> {
        var list = retry.putArray("backoff");
        backoff.backoff().forEach(wait -> list.add(wait.toSeconds()));
      }
      case RetryPolicy.Exponential exp -> {
        retry.put("initial_s", exp.initial().toSeconds());
        retry.put("multiplier", exp.multiplier());
        retry.put("max_s", exp.max().toSeconds());
        retry.put("jitter", exp.jitter());
      }
    }
    schedule.put(CATCHUP_WINDOW_S, policy.catchupWindow().toSeconds());
    schedule.put(MAX_CONCURRENCY, policy.maxConcurrency());
    schedule.put(OVERLAP_POLICY, policy.overlap().wireName());
    if (policy.autoDisableAfter().isPresent()) {
      schedule.put(AUTO_DISABLE_AFTER, policy.autoDisableAfter().getAsInt());
    } else {
      schedule.putNull(AUTO_DISABLE_AFTER);
    }
  }

  /** The stored form: the policy fields alone. */
  public static String toStored(RunPolicy policy) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    write(policy, node);
    return ScheduleJson.write(node);
  }

  /**
   * Reads a stored policy; {@code {}} (rows written before policies existed) gives the defaults.
   */
  public static RunPolicy fromStored(String json) {
    ScheduleJson.Errors errors = ScheduleJson.Errors.forStored();
    RunPolicy policy = read(ScheduleJson.parse(json), errors);
    errors.throwIfAny();
    return policy;
  }
}
