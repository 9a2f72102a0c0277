package dev.chime.bench.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TimingBench's figures: medians of the rounds by rate and peer, and its table. */
public final class TimingReport {
  private static final List<String> PERCENTILES = List.of("p50", "p99", "p99_9", "max");

  private TimingReport() {}

  /** Adds {@code summary}: by rate and peer, the medians of the rounds' figures. */
  static void summarize(ObjectNode result) {
    Map<String, List<JsonNode>> byCell = new LinkedHashMap<>();
    for (JsonNode round : result.path("rounds")) {
      byCell
          .computeIfAbsent(
              round.path("rate").asInt() + " " + round.path("peer").asText(),
              key -> new ArrayList<>())
          .add(round);
    }
    ArrayNode summary = result.putArray("summary");
    for (List<JsonNode> rounds : byCell.values()) {
      ObjectNode line = summary.addObject();
      line.put("rate", rounds.get(0).path("rate").asInt());
      line.put("peer", rounds.get(0).path("peer").asText());
      line.put("rounds", rounds.size());
      line.put("jobs", rounds.get(0).path("jobs").asInt());
      line.put("window_s", rounds.get(0).path("window_s").asDouble());
      line.put("achieved_rate_median", median(rounds, "/achieved_rate"));
      ObjectNode lateness = line.putObject("lateness_ms_median");
      ObjectNode ran = line.putObject("lateness_ms_of_fires_run_in_window_median");
      for (String p : PERCENTILES) {
        lateness.put(p, median(rounds, "/lateness_ms/" + p));
        ran.put(p, median(rounds, "/lateness_ms_of_fires_run_in_window/" + p));
      }
      line.put(
          "missing_max",
          rounds.stream().mapToLong(r -> r.path("missing").asLong()).max().orElse(0));
      line.put(
          "duplicates_max",
          rounds.stream().mapToLong(r -> r.path("duplicates").asLong()).max().orElse(0));
      line.put("kept_up_every_round", rounds.stream().allMatch(r -> r.path("kept_up").asBoolean()));
      line.put(
          "early_max", rounds.stream().mapToLong(r -> r.path("early").asLong()).max().orElse(0));
    }
  }

  private static double median(List<JsonNode> rounds, String pointer) {
    double[] values = rounds.stream().mapToDouble(r -> r.at(pointer).asDouble()).sorted().toArray();
    int n = values.length;
    double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return Math.round(median * 10) / 10.0;
  }

  /** The table: one line per rate and peer, then now + 1 s. */
  public static void print(JsonNode result, PrintStream out) {
    out.printf(
        "lateness at steady load, jobs every %s ms (medians of rounds; ms)%n",
        result.path("interval_ms").asText());
    out.printf(
        "  %-7s %-22s %7s %9s %8s %8s %8s %9s  %s%n",
        "fires/s", "peer", "jobs", "achieved", "p50", "p99", "p99.9", "max", "kept up");
    for (JsonNode line : result.path("summary")) {
      boolean keptUp = line.path("kept_up_every_round").asBoolean();
      // behind its load, a peer's lateness is that of what it ran during the window
      JsonNode late =
          line.path(keptUp ? "lateness_ms_median" : "lateness_ms_of_fires_run_in_window_median");
      out.printf(
          "  %-7d %-22s %7d %9.0f %8s %8s %8s %9s  %s%n",
          line.path("rate").asInt(),
          line.path("peer").asText(),
          line.path("jobs").asInt(),
          line.path("achieved_rate_median").asDouble(),
          late.path("p50").asText(),
          late.path("p99").asText(),
          late.path("p99_9").asText(),
          late.path("max").asText(),
          keptUp
              ? "yes"
              : "NO: "
                  + line.path("missing_max").asLong()
                  + " of the window's fires never came; lateness of those run in it");
    }
    for (JsonNode line : result.path("summary")) {
      if (line.path("early_max").asLong() > 0) {
        out.printf(
            "  %s at %d fires/s ran up to %d of the window's fires more than 1 ms before their"
                + " instant (examples in the JSON)%n",
            line.path("peer").asText(), line.path("rate").asInt(), line.path("early_max").asLong());
      }
    }
    JsonNode now = result.path("now_plus_one");
    for (String nodes : List.of("one_node", "two_nodes")) {
      JsonNode n = now.path(nodes);
      if (n.isMissingNode()) {
        continue;
      }
      out.printf(
          "  now + 1 s on Chime, %s: %s of %s fired, late by median %s ms, max %s ms%n",
          nodes.equals("one_node") ? "one node" : "created on node A, fired by node B",
          n.path("fired").asText(),
          n.path("created").asText(),
          n.path("lateness_ms_median").asText(),
          n.path("lateness_ms_max").asText());
    }
    result.path("notes").forEach(note -> out.println("  note: " + note.asText()));
  }
}
