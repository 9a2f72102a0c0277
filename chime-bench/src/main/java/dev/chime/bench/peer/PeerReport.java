package dev.chime.bench.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.bench.Machine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** PeerBench's summary (medians of the rounds, Chime/peer ratios) and its table. */
final class PeerReport {
  private PeerReport() {}

  /** Adds {@code summary} (one entry per peer and job count) and {@code ratios} to the result. */
  static void summarize(ObjectNode result, List<Integer> jobCounts, List<String> peers) {
    ArrayNode summary = result.putArray("summary");
    for (int jobs : jobCounts) {
      for (String peer : peers) {
        List<JsonNode> rounds = new ArrayList<>();
        result
            .path("rounds")
            .forEach(
                round -> {
                  if (round.path("peer").asText().equals(peer)
                      && round.path("jobs").asInt() == jobs) {
                    rounds.add(round);
                  }
                });
        if (rounds.isEmpty()) {
          continue;
        }
        ObjectNode line = summary.addObject();
        line.put("peer", peer);
        line.put("database", rounds.get(0).path("database").asText());
        line.put("jobs", jobs);
        line.put("rounds", rounds.size());
        List<Double> rates = values(rounds, "executions_per_s");
        line.put("executions_per_s_median", Math.round(median(rates)));
        line.put("executions_per_s_min", Math.round(rates.get(0)));
        line.put("executions_per_s_max", Math.round(rates.get(rates.size() - 1)));
        for (String field :
            List.of("executions_per_s_until_written", "executions_per_s_lookahead_charged")) {
          List<Double> more = values(rounds, field);
          if (!more.isEmpty()) {
            line.put(field + "_median", Math.round(median(more)));
          }
        }
        List<Double> commits = values(rounds, "commits_per_execution");
        if (!commits.isEmpty()) {
          line.put("commits_per_execution_median", Math.round(median(commits) * 1000) / 1000.0);
        }
        line.put(
            "every_round_complete",
            rounds.stream().allMatch(round -> round.path("complete").asBoolean()));
        line.put(
            "none_twice", rounds.stream().allMatch(round -> round.path("repeated").asLong() == 0));
        line.put(
            "every_chime_run_written",
            !peer.startsWith("chime")
                || rounds.stream()
                    .allMatch(
                        round ->
                            round.at("/database_after/runs_success").asLong()
                                == round.path("executions").asLong()));
      }
    }
    ArrayNode ratios = result.putArray("ratios");
    for (int jobs : jobCounts) {
      JsonNode chime = find(summary, "chime", jobs);
      if (chime == null) {
        continue;
      }
      for (String peer : peers) {
        JsonNode other = find(summary, peer, jobs);
        if (peer.startsWith("chime") || other == null) {
          continue;
        }
        ObjectNode ratio = ratios.addObject();
        ratio.put("jobs", jobs);
        ratio.put("peer", peer);
        ratio.put("chime_per_peer", ratio(chime, "executions_per_s_median", other));
        ratio.put(
            "chime_per_peer_until_written",
            ratio(chime, "executions_per_s_until_written_median", other));
        ratio.put(
            "chime_lookahead_charged_per_peer",
            ratio(chime, "executions_per_s_lookahead_charged_median", other));
      }
    }
  }

  /**
   * Chime's {@code field} over the peer's: the peer's own figure of the same name, or its plain
   * one.
   */
  private static double ratio(JsonNode chime, String field, JsonNode peer) {
    String peerField = peer.has(field) ? field : "executions_per_s_median";
    return Math.round(
            chime.path(field).asDouble() / Math.max(1, peer.path(peerField).asDouble()) * 100)
        / 100.0;
  }

  static void print(JsonNode result, PrintStream out) {
    JsonNode machine = result.path("machine");
    out.println();
    out.println("PeerBench result");
    out.printf(
        "machine: %s; PostgreSQL %s; load average %s before, %s after%n",
        Machine.line((ObjectNode) machine),
        machine.path("postgresql").asText("-"),
        machine.path("load_average_before").asText(),
        machine.path("load_average_after").asText());
    out.printf(
        "%-8s %-16s %-10s %6s %22s %13s %13s %s%n",
        "jobs",
        "peer",
        "database",
        "rounds",
        "executions/s (min-max)",
        "until written",
        "commits/exec",
        "checks");
    for (JsonNode line : result.path("summary")) {
      out.printf(
          Locale.ROOT,
          "%-8d %-16s %-10s %6d %22s %13d %13s %s%n",
          line.path("jobs").asInt(),
          line.path("peer").asText(),
          line.path("database").asText(),
          line.path("rounds").asInt(),
          line.path("executions_per_s_median").asLong()
              + " ("
              + line.path("executions_per_s_min").asLong()
              + "-"
              + line.path("executions_per_s_max").asLong()
              + ")",
          line.path("executions_per_s_until_written_median").asLong(),
          line.has("commits_per_execution_median")
              ? line.path("commits_per_execution_median").asText()
              : "-",
          checks(line));
    }
    for (JsonNode ratio : result.path("ratios")) {
      out.printf(
          "Chime/%s at %d jobs: %sx (until written %sx; Chime charged its lookahead %sx)%n",
          ratio.path("peer").asText(),
          ratio.path("jobs").asInt(),
          ratio.path("chime_per_peer").asText(),
          ratio.path("chime_per_peer_until_written").asText(),
          ratio.path("chime_lookahead_charged_per_peer").asText());
    }
    result.path("notes").forEach(note -> out.println("note: " + note.asText()));
  }

  private static String checks(JsonNode line) {
    List<String> said = new ArrayList<>();
    said.add(line.path("every_round_complete").asBoolean() ? "all ran" : "not all ran in time");
    said.add(line.path("none_twice").asBoolean() ? "none twice" : "SOME TWICE");
    if (line.path("peer").asText().startsWith("chime")) {
      said.add(
          line.path("every_chime_run_written").asBoolean()
              ? "every run row success"
              : "RUN ROWS MISSING");
    }
    return String.join(", ", said);
  }

  private static JsonNode find(ArrayNode summary, String peer, int jobs) {
    for (JsonNode line : summary) {
      if (line.path("peer").asText().equals(peer) && line.path("jobs").asInt() == jobs) {
        return line;
      }
    }
    return null;
  }

  private static List<Double> values(List<JsonNode> rounds, String field) {
    List<Double> values = new ArrayList<>();
    for (JsonNode round : rounds) {
      if (round.has(field)) {
        values.add(round.path(field).asDouble());
      }
    }
    values.sort(null);
    return values;
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
