package dev.chime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.bench.peer.TimingReport;
import java.io.PrintStream;

/** The one table of a {@link Suite} run: every part's headline figures and the machine. */
final class SuiteReport {
  private SuiteReport() {}

  static void print(JsonNode result, PrintStream out) {
    JsonNode machine = result.path("machine");
    out.println();
    out.println("Chime benchmark suite (" + result.path("mode").asText() + ")");
    out.printf(
        "machine: %s; PostgreSQL %s; load average %s before, %s after; %s s%n",
        Machine.line((ObjectNode) machine),
        machine.path("postgresql").asText("-"),
        machine.path("load_average_before").asText(),
        machine.path("load_average_after").asText(),
        result.path("elapsed_s").asText());
    StringBuilder parts = new StringBuilder();
    result
        .path("part_seconds")
        .properties()
        .forEach(
            part ->
                parts
                    .append(parts.isEmpty() ? "" : ", ")
                    .append(part.getKey())
                    .append(' ')
                    .append(part.getValue().asText())
                    .append(" s"));
    out.println("parts: " + parts);
    out.println();
    out.println("engine throughput, N due at one instant (medians; until all completions written)");
    out.printf(
        "  %-8s %-16s %14s %14s %13s %s%n",
        "jobs", "peer", "executions/s", "until written", "commits/exec", "exactly once");
    for (JsonNode line : result.at("/peers/summary")) {
      out.printf(
          "  %-8d %-16s %14d %14d %13s %s%n",
          line.path("jobs").asInt(),
          line.path("peer").asText(),
          line.path("executions_per_s_median").asLong(),
          line.path("executions_per_s_until_written_median").asLong(),
          line.path("commits_per_execution_median").asText("-"),
          line.path("none_twice").asBoolean()
              ? (line.path("every_round_complete").asBoolean()
                  ? "yes"
                  : "yes (not all ran in time)")
              : "NO");
    }
    for (JsonNode ratio : result.at("/peers/ratios")) {
      out.printf(
          "  Chime/%s at %d jobs: %sx (until written %sx)%n",
          ratio.path("peer").asText(),
          ratio.path("jobs").asInt(),
          ratio.path("chime_per_peer").asText(),
          ratio.path("chime_per_peer_until_written").asText());
    }
    if (result.has("timing")) {
      out.println();
      TimingReport.print(result.path("timing"), out);
    }
    out.println();
    out.println("cron next fire, ns/op (JMH)");
    for (JsonNode row : result.at("/hot_paths/cron_next_fire")) {
      out.printf(
          "  %-22s Chime %8s  cron-utils %9s  cron-utils/Chime %sx%n",
          row.path("case").asText(),
          row.path("chime_ns_per_op").asText(),
          row.path("cron_utils_ns_per_op").asText(),
          row.path("cron_utils_per_chime").asText());
    }
    out.printf(
        "  schedule JSON encode %s ns/op, decode %s ns/op%n",
        result.at("/hot_paths/schedule_json_ns_per_op/encode").asText("-"),
        result.at("/hot_paths/schedule_json_ns_per_op/decode").asText("-"));
    out.println();
    out.println("over HTTP, one node (LoadBench, target in its own process)");
    JsonNode steady = result.path("load_steady");
    out.printf(
        "  steady %s fires/s planned on %s: %s fires/s, %s%% delivered, lateness ms p50 %s p99 %s"
            + " p99.9 %s max %s, commits/fire %s%n",
        steady.path("planned_rate").asText(),
        steady.path("database").asText(),
        steady.at("/delivery/achieved_rate").asText(),
        steady.at("/delivery/delivered_pct").asText(),
        steady.at("/lateness_ms/p50").asText(),
        steady.at("/lateness_ms/p99").asText(),
        steady.at("/lateness_ms/p99_9").asText(),
        steady.at("/lateness_ms/max").asText(),
        steady.at("/db_commits/per_fire").asText("-"));
    JsonNode burst = result.path("load_burst");
    out.printf(
        "  burst of %s on %s: %s fires/s, first %s ms and last %s ms after the instant, %s%%"
            + " delivered%n",
        burst.path("schedules").asText(),
        burst.path("database").asText(),
        burst.at("/burst/fires_per_s").asText(),
        burst.at("/burst/first_after_instant_ms").asText(),
        burst.at("/burst/last_after_instant_ms").asText(),
        burst.at("/delivery/delivered_pct").asText());
    out.println();
    out.println("scale: the same hot schedules beside few and many stored (ScaleBench)");
    for (JsonNode c : result.at("/scale/cases")) {
      out.printf(
          "  %,d stored on %s: claim %s ms, heap after GC %s MB, start %s ms (again %s ms),"
              + " hot lateness ms p50 %s p99 %s max %s, %s%% delivered%n",
          c.path("stored").asInt(),
          c.path("database").asText(),
          c.at("/claim/median_ms").asText(),
          c.path("heap_used_after_gc_mb").asText(),
          c.path("start_ms").asText(),
          c.path("restart_ms").asText(),
          c.at("/lateness_ms/p50").asText(),
          c.at("/lateness_ms/p99").asText(),
          c.at("/lateness_ms/max").asText(),
          c.at("/delivery/delivered_pct").asText());
    }
    out.printf(
        "  many/few: lateness p99 %sx, claim %sx%n",
        result.at("/scale/stored_against_baseline/lateness_p99_ratio").asText(),
        result.at("/scale/stored_against_baseline/claim_ms_ratio").asText());
    out.println();
    out.printf(
        "schedule API, %s clients, auth on (ApiBench)%n", result.at("/api/clients").asText());
    for (JsonNode db : result.at("/api/databases")) {
      for (String op : java.util.List.of("create", "get", "list")) {
        JsonNode o = db.at("/operations/" + op);
        out.printf(
            "  %-10s %-6s %8s req/s, p50 %s ms, p99 %s ms, %s failed%n",
            db.path("database").asText(),
            op,
            o.path("rps").asText(),
            o.path("p50_ms").asText(),
            o.path("p99_ms").asText(),
            o.path("failed").asText());
      }
    }
    result.path("notes").forEach(note -> out.println("note: " + note.asText()));
  }
}
