package dev.chime.bench.hot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link CronBench} and {@link ScheduleJsonBench} through JMH with the given effort and
 * gathers ns/op by case, with Chime/cron-utils ratios (above 1: Chime is faster).
 */
public final class HotPaths {
  /**
   * How hard JMH works: forks (0 runs in this JVM, for tests), warm-up and measured iterations of
   * {@code iterationMs} each, and the cron cases to run (empty: all).
   */
  public record Effort(
      int forks, int warmups, int iterations, int iterationMs, List<String> cases) {
    public static final Effort FULL = new Effort(1, 3, 5, 1000, List.of());
    public static final Effort SUITE = new Effort(1, 2, 3, 500, List.of());

    /**
     * In this JVM, one case of each kind (common, {@code L}, {@code W}, a DST zone): a fork per
     * case and method, each loading the bench's jar, took about 40 s of the quick suite's two
     * minutes. Figures without a fork are rougher (the JIT has seen the other benchmarks); the full
     * suite forks.
     */
    public static final Effort QUICK =
        new Effort(
            0,
            1,
            2,
            200,
            List.of("weekdays_9", "last_day", "weekday_nearest_15", "weekdays_9_new_york"));
  }

  private HotPaths() {}

  public static void main(String[] args) throws RunnerException {
    ObjectNode result = run(Effort.FULL, System.out);
    print(result, System.out);
    System.out.println(result);
  }

  public static ObjectNode run(Effort effort, PrintStream out) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(CronBench.class.getName())
            .include(ScheduleJsonBench.class.getName())
            .forks(effort.forks())
            .warmupIterations(effort.warmups())
            .warmupTime(TimeValue.milliseconds(effort.iterationMs()))
            .measurementIterations(effort.iterations())
            .measurementTime(TimeValue.milliseconds(effort.iterationMs()))
            .verbosity(VerboseMode.SILENT);
    if (!effort.cases().isEmpty()) {
      options.param("expression", effort.cases().toArray(String[]::new));
    }
    out.println("JMH: cron next fire (Chime, cron-utils) and schedule JSON ...");
    Collection<RunResult> results = new Runner(options.build()).run();
    return json(results, effort);
  }

  private static ObjectNode json(Collection<RunResult> results, Effort effort) {
    Map<String, double[]> cron = new LinkedHashMap<>();
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("bench", "HotPaths (JMH)");
    ObjectNode settings = root.putObject("jmh");
    settings.put("forks", effort.forks());
    settings.put("warmup_iterations", effort.warmups());
    settings.put("iterations", effort.iterations());
    settings.put("iteration_ms", effort.iterationMs());
    ObjectNode json = root.putObject("schedule_json_ns_per_op");
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      double score = result.getPrimaryResult().getScore();
      if (benchmark.startsWith(ScheduleJsonBench.class.getName())) {
        json.put(method, Math.round(score * 10) / 10.0);
      } else {
        double[] pair =
            cron.computeIfAbsent(result.getParams().getParam("expression"), k -> new double[2]);
        pair[method.equals("chime") ? 0 : 1] = score;
      }
    }
    ArrayNode rows = root.putArray("cron_next_fire");
    for (Map.Entry<String, double[]> entry : cron.entrySet()) {
      CronCases.Case c = CronCases.named(entry.getKey());
      ObjectNode row = rows.addObject();
      row.put("case", c.name());
      row.put("expression", c.expression());
      row.put("zone", c.zone().getId());
      row.put("chime_ns_per_op", Math.round(entry.getValue()[0] * 10) / 10.0);
      row.put("cron_utils_ns_per_op", Math.round(entry.getValue()[1] * 10) / 10.0);
      row.put(
          "cron_utils_per_chime",
          Math.round(entry.getValue()[1] / Math.max(1e-9, entry.getValue()[0]) * 100) / 100.0);
    }
    return root;
  }

  public static void print(ObjectNode result, PrintStream out) {
    out.println();
    out.println("cron next fire, ns/op (JMH)");
    out.printf(
        "%-22s %-14s %-18s %10s %12s %8s%n",
        "case", "expression", "zone", "Chime", "cron-utils", "ratio");
    result
        .path("cron_next_fire")
        .forEach(
            row ->
                out.printf(
                    "%-22s %-14s %-18s %10s %12s %7sx%n",
                    row.path("case").asText(),
                    row.path("expression").asText(),
                    row.path("zone").asText(),
                    row.path("chime_ns_per_op").asText(),
                    row.path("cron_utils_ns_per_op").asText(),
                    row.path("cron_utils_per_chime").asText()));
    out.printf(
        "schedule JSON, ns/op: encode %s, decode %s%n",
        result.at("/schedule_json_ns_per_op/encode").asText("-"),
        result.at("/schedule_json_ns_per_op/decode").asText("-"));
  }
}
