package dev.chime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.server.config.ChimeConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The figures of one run, built once as a JSON object and printed two ways: a table for people and,
 * as the last line, the same object on one line for scripts.
 */
final class LoadReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Everything one run measured. */
  record Measurement(
      LoadOptions options,
      String database,
      ChimeConfig config,
      long registerMillis,
      Instant firstFire,
      Instant windowStart,
      Instant windowEnd,
      ArrivalStats arrivals,
      OptionalLong commitsBefore,
      OptionalLong commitsAfter,
      long cpuNanos,
      RunCheck runs,
      double loadAverageBefore,
      double loadAverageAfter,
      List<String> notes) {}

  private LoadReport() {}

  static ObjectNode json(Measurement m) {
    LoadOptions options = m.options();
    ObjectNode root = JSON.createObjectNode();
    root.put("bench", "LoadBench");
    root.put("mode", options.mode().name().toLowerCase(Locale.ROOT));
    root.put("database", m.database());
    root.put("schedules", options.schedules());
    if (options.mode() == LoadOptions.Mode.INTERVAL) {
      root.put("interval_s", options.interval().toSeconds());
      root.put(
          "planned_rate", round(options.schedules() / (double) options.interval().toSeconds()));
      root.put("warmup_s", options.warmup().toSeconds());
    } else {
      root.put("burst_trigger", options.burstTrigger().name().toLowerCase(Locale.ROOT));
    }
    root.put("window_start", m.windowStart().toString());
    root.put("window_s", round(Duration.between(m.windowStart(), m.windowEnd()).toMillis() / 1e3));
    root.put("target_delay_ms", options.targetDelay().toMillis());
    root.put("target_fail_percent", options.targetFailPercent());
    node(root.putObject("node"), m.config());
    root.put("nodes", m.options().nodes());
    ObjectNode machine = root.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("load_average_before", round(m.loadAverageBefore()));
    machine.put("load_average_after", round(m.loadAverageAfter()));

    ObjectNode registration = root.putObject("registration");
    registration.put("ms", m.registerMillis());
    registration.put(
        "per_s", round(options.schedules() * 1000.0 / Math.max(1, m.registerMillis())));

    ArrivalStats a = m.arrivals();
    ObjectNode delivery = root.putObject("delivery");
    delivery.put("expected", a.expected());
    delivery.put("received", a.received());
    delivery.put("calls", a.calls());
    delivery.put("delivered_pct", round(a.deliveredPercent()));
    if (options.mode() == LoadOptions.Mode.INTERVAL) {
      delivery.put(
          "achieved_rate", round(a.achievedRate(Duration.between(m.windowStart(), m.windowEnd()))));
    }
    delivery.put("unexpected", a.unexpected());

    ObjectNode late = root.putObject("lateness_ms");
    late.put("count", a.lateness().count());
    late.put("p50", a.lateness().p50());
    late.put("p90", a.lateness().p90());
    late.put("p99", a.lateness().p99());
    late.put("p99_9", a.lateness().p999());
    late.put("max", a.lateness().max());
    late.put("min", a.lateness().min());
    // JSON null for a second in which no first attempt was due (a burst's window is one instant)
    ArrayNode worst = late.putArray("worst_by_second");
    a.worstBySecond().forEach(worst::add);

    ObjectNode duplicates = root.putObject("duplicates");
    duplicates.put("same_key_and_attempt", a.repeatedAttempts());
    duplicates.put("key_under_several_run_ids", a.keysUnderManyRuns());
    duplicates.put("attempt_under_several_run_ids", a.attemptsUnderManyRuns());

    ObjectNode gaps = root.putObject("gaps");
    gaps.put("count", a.gaps());
    a.gapExamples().forEach(gaps.putArray("examples")::add);

    if (options.mode() == LoadOptions.Mode.BURST) {
      burst(root.putObject("burst"), m.firstFire(), a);
    }
    commits(root.putObject("db_commits"), m, a);
    cpu(root.putObject("node_cpu"), m, a);
    runs(root.putObject("runs"), m.runs());
    ArrayNode notes = root.putArray("notes");
    m.notes().forEach(notes::add);
    if (a.keysUnderManyRuns() > 0) {
      notes.add(
          "each retry is a run of its own: key_under_several_run_ids counts retried fires,"
              + " attempt_under_several_run_ids the attempts started twice");
    }
    return root;
  }

  /** The node settings that shape its throughput, so runs with different ones can be told apart. */
  private static void node(ObjectNode node, ChimeConfig config) {
    node.put("db_url", config.dbUrl().replaceAll("(?i)(password=)[^&;]*", "$1***"));
    node.put("db_pool_size", config.dbPoolSize());
    node.put("poll_ms", config.poll().toMillis());
    node.put("lookahead_ms", config.lookahead().toMillis());
    node.put("batch_size", config.batchSize());
    node.put("tenant_max_running", config.tenantMaxRunning());
    node.put("catchup_per_second", config.catchupPerSecond());
  }

  private static void burst(ObjectNode burst, Instant instant, ArrivalStats a) {
    burst.put("instant", instant.toString());
    if (a.firstArrivalMillis().isEmpty()) {
      return;
    }
    long first = a.firstArrivalMillis().get();
    long last = a.lastArrivalMillis().orElseThrow();
    long afterInstant = last - instant.toEpochMilli();
    burst.put("first_after_instant_ms", first - instant.toEpochMilli());
    burst.put("last_after_instant_ms", afterInstant);
    burst.put("first_to_last_ms", last - first);
    burst.put("fires_per_s", round(a.received() * 1000.0 / Math.max(1, afterInstant)));
  }

  private static void commits(ObjectNode node, Measurement m, ArrivalStats a) {
    if (m.commitsBefore().isEmpty() || m.commitsAfter().isEmpty()) {
      node.put("measured", false);
      return;
    }
    long delta = m.commitsAfter().getAsLong() - m.commitsBefore().getAsLong();
    long fires =
        m.options().mode() == LoadOptions.Mode.BURST ? a.calls() : a.callsReceivedInWindow();
    node.put("measured", true);
    node.put("delta", delta);
    node.put("fires", fires);
    node.put("per_fire", fires == 0 ? 0 : Math.round(delta * 1000.0 / fires) / 1000.0);
    node.put("scope", "pg_stat_database.xact_commit: every session of the database counts");
  }

  /**
   * CPU the node's process spent per fire sent: on a machine shared with other work this varies far
   * less than the rate or the lateness, so it is the figure to compare two builds by.
   */
  private static void cpu(ObjectNode node, Measurement m, ArrivalStats a) {
    if (m.cpuNanos() < 0) {
      node.put("measured", false);
      return;
    }
    long fires =
        m.options().mode() == LoadOptions.Mode.BURST ? a.calls() : a.callsReceivedInWindow();
    double millis = m.cpuNanos() / 1e6;
    node.put("measured", true);
    node.put("cpu_ms", Math.round(millis));
    node.put("fires", fires);
    node.put("cpu_ms_per_fire", fires == 0 ? 0 : Math.round(millis * 1000.0 / fires) / 1000.0);
    node.put("fires_per_cpu_s", millis == 0 ? 0 : Math.round(fires * 1000.0 / millis));
    node.put(
        "scope",
        "the node's JVM (the target and any database server run in processes of their own)");
  }

  private static void runs(ObjectNode node, RunCheck runs) {
    node.put("rows", runs.rows());
    ObjectNode byStatus = node.putObject("by_status");
    runs.byStatus().forEach(byStatus::put);
    ObjectNode failures = node.putObject("failures");
    runs.failures().forEach(failures::put);
    node.put("settled", runs.settled());
    node.put("waited_ms", runs.waitedMillis());
    node.put("received_runs", runs.receivedRuns());
    node.put("with_finished_row", runs.receivedWithFinishedRow());
    node.put("with_success_row", runs.receivedWithSuccessRow());
    node.put("without_row", runs.receivedWithoutRow());
    node.put("every_result_written", runs.allWritten());
  }

  static void print(ObjectNode root, PrintStream out) {
    out.println();
    out.println("LoadBench result");
    table(root, "", out);
    out.println(root.toString());
    out.flush();
  }

  private static void table(JsonNode node, String indent, PrintStream out) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (value.isObject()) {
        out.println(indent + field.getKey());
        table(value, indent + "  ", out);
      } else if (value.isArray()) {
        StringBuilder items = new StringBuilder();
        value.forEach(item -> items.append(items.isEmpty() ? "" : "; ").append(item.asText()));
        out.printf("%s%-" + (30 - indent.length()) + "s %s%n", indent, field.getKey(), items);
      } else {
        out.printf(
            "%s%-" + (30 - indent.length()) + "s %s%n", indent, field.getKey(), value.asText());
      }
    }
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
