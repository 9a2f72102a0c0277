package dev.chime.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.bench.hot.HotPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the suite command working: every part of it at tiny sizes (PeerBench with 100 jobs,
 * TimingBench at 50 fires/s for half a second and one now + 1 s on each of its cases, JMH in this
 * JVM for a moment, LoadBench with 100 schedules, ScaleBench with 20 hot schedules beside 30 and
 * 300 stored, ApiBench with 2 clients for a second per operation). It checks what must hold at any
 * speed (every execution counted once, every Chime run written, the JSON complete), never a timing.
 * Without a PostgreSQL on 127.0.0.1:5432 the peers are left out with a note, as the suite itself
 * does.
 */
class SuiteSmokeTest {
  private static final Suite.Sizes TINY =
      new Suite.Sizes(
          "tiny",
          List.of("--jobs", "100", "--rounds", "1", "--max-seconds", "30"),
          List.of(
              "--rates",
              "50",
              "--peers",
              "chime,db-scheduler,quartz",
              "--warmup-seconds",
              "0.2",
              "--seconds",
              "0.5",
              "--drain-seconds",
              "1",
              "--now-plus-one",
              "1"),
          new HotPaths.Effort(0, 1, 1, 50, List.of("last_day")),
          List.of(
              "--schedules",
              "100",
              "--rate",
              "50",
              "--seconds",
              "2",
              "--warmup",
              "1",
              "--drain-seconds",
              "10"),
          List.of(
              "--mode",
              "burst",
              "--schedules",
              "100",
              "--seconds",
              "30",
              "--warmup",
              "1",
              "--drain-seconds",
              "10"),
          List.of(
              "--stored",
              "300",
              "--baseline",
              "30",
              "--hot",
              "20",
              "--seconds",
              "2",
              "--warmup",
              "1"),
          List.of("--clients", "2", "--seconds", "1", "--warmup", "0"));

  @Test
  void everyPartRunsAndEveryExecutionIsCountedOnce(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Path json = dir.resolve("suite.json");

    new Suite(new PrintStream(buffer, true, UTF_8)).run(TINY, json);

    JsonNode result = new ObjectMapper().readTree(Files.readString(json));
    List<String> lines = buffer.toString(UTF_8).lines().toList();
    assertThat(new ObjectMapper().readTree(lines.get(lines.size() - 1))).isEqualTo(result);
    assertThat(lines).contains("Chime benchmark suite (tiny)");
    assertThat(result.at("/machine/cores").asInt()).isPositive();

    JsonNode summary = result.at("/peers/summary");
    assertThat(summary).isNotEmpty();
    for (JsonNode line : summary) {
      assertThat(line.path("every_round_complete").asBoolean()).as(line.toString()).isTrue();
      assertThat(line.path("none_twice").asBoolean()).as(line.toString()).isTrue();
      assertThat(line.path("every_chime_run_written").asBoolean()).as(line.toString()).isTrue();
    }
    for (JsonNode round : result.at("/peers/rounds")) {
      assertThat(round.path("distinct").asInt()).as(round.toString()).isEqualTo(100);
      assertThat(round.path("executions").asInt()).as(round.toString()).isEqualTo(100);
    }
    List<String> peers = summary.findValuesAsText("peer");
    if (result.at("/machine/postgresql").isTextual()) {
      assertThat(peers).contains("chime", "db-scheduler", "quartz", "quartz-defaults", "chime-h2");
      assertThat(result.at("/peers/ratios")).isNotEmpty();
    } else {
      assertThat(peers).containsExactly("chime-h2");
      assertThat(result.path("notes").toString()).contains("no PostgreSQL answered");
    }

    if (result.at("/machine/postgresql").isTextual()) {
      JsonNode timing = result.path("timing");
      assertThat(timing.path("summary").findValuesAsText("peer"))
          .containsExactly("chime", "db-scheduler", "quartz");
      for (JsonNode round : timing.path("rounds")) {
        assertThat(round.path("expected").asLong()).as(round.toString()).isPositive();
        assertThat(round.path("fired").asLong() + round.path("missing").asLong())
            .as(round.toString())
            .isEqualTo(round.path("expected").asLong());
      }
      assertThat(timing.at("/rounds/0/duplicates").asLong()).isZero(); // Chime's
      for (String nodes : List.of("one_node", "two_nodes")) {
        assertThat(timing.at("/now_plus_one/" + nodes + "/created").asInt()).isEqualTo(1);
        assertThat(timing.at("/now_plus_one/" + nodes + "/fired_twice").asInt()).isZero();
      }
      assertThat(lines).anyMatch(line -> line.startsWith("lateness at steady load"));
    } else {
      assertThat(result.has("timing")).isFalse();
    }

    JsonNode cron = result.at("/hot_paths/cron_next_fire/0");
    assertThat(cron.path("case").asText()).isEqualTo("last_day");
    assertThat(cron.path("chime_ns_per_op").asDouble()).isPositive();
    assertThat(cron.path("cron_utils_ns_per_op").asDouble()).isPositive();
    assertThat(result.at("/hot_paths/schedule_json_ns_per_op/encode").asDouble()).isPositive();
    assertThat(result.at("/hot_paths/schedule_json_ns_per_op/decode").asDouble()).isPositive();

    assertThat(result.at("/load_steady/delivery/received").asLong()).isPositive();
    assertThat(result.at("/load_steady/duplicates/same_key_and_attempt").asLong()).isZero();
    assertThat(result.at("/load_burst/delivery/received").asLong()).isEqualTo(100);
    assertThat(result.at("/load_burst/duplicates/same_key_and_attempt").asLong()).isZero();

    JsonNode scale = result.at("/scale/cases");
    assertThat(scale.findValuesAsText("stored")).containsExactly("30", "300");
    for (JsonNode c : scale) {
      assertThat(c.at("/delivery/received").asLong()).as(c.toString()).isPositive();
      assertThat(c.at("/delivery/same_key_and_attempt").asLong()).as(c.toString()).isZero();
      assertThat(c.at("/delivery/every_result_written").asBoolean()).as(c.toString()).isTrue();
      assertThat(c.path("heap_used_after_gc_mb").asLong()).as(c.toString()).isPositive();
      assertThat(c.at("/claim/rows").asInt()).as(c.toString()).isNotNegative();
      assertThat(c.path("database").asText())
          .isEqualTo(result.at("/machine/postgresql").isTextual() ? "postgresql" : "h2");
    }
    assertThat(result.at("/scale/stored_against_baseline/lateness_p99_ratio").isNumber()).isTrue();

    JsonNode api = result.at("/api/databases");
    assertThat(api.findValuesAsText("database"))
        .containsExactlyElementsOf(
            result.at("/machine/postgresql").isTextual()
                ? List.of("h2", "postgresql")
                : List.of("h2"));
    for (JsonNode db : api) {
      for (String op : List.of("create", "get", "list")) {
        JsonNode o = db.at("/operations/" + op);
        assertThat(o.path("ok").asLong()).as(op + " " + db).isPositive();
        assertThat(o.path("failed").asLong()).as(op + " " + db).isZero();
      }
    }
  }
}
