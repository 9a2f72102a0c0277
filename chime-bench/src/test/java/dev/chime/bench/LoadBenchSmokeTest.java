package dev.chime.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link LoadBench} working: a short run end to end, target process included. It checks that
 * the bench ran and what must hold at any speed; timing figures are never asserted on, since a
 * shared machine makes them vary.
 */
class LoadBenchSmokeTest {
  @Test
  void aShortSteadyRunOnH2DeliversWithoutDuplicatesAndPrintsItsFiguresAsJson() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    int status =
        new LoadBench(Clock.systemUTC(), Map.of(), new PrintStream(buffer, true, UTF_8))
            .run(new String[] {"--schedules", "200", "--rate", "100", "--seconds", "4"});

    assertThat(status).isZero();
    List<String> lines = buffer.toString(UTF_8).lines().toList();
    JsonNode result = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(result.path("bench").asText()).isEqualTo("LoadBench");
    assertThat(result.path("mode").asText()).isEqualTo("interval");
    assertThat(result.path("database").asText()).isEqualTo("h2");
    assertThat(result.at("/delivery/expected").asLong()).isPositive();
    assertThat(result.at("/delivery/received").asLong()).isPositive();
    assertThat(result.at("/duplicates/same_key_and_attempt").asLong()).isZero();
    assertThat(result.at("/duplicates/key_under_several_run_ids").asLong()).isZero();
    assertThat(result.at("/duplicates/attempt_under_several_run_ids").asLong()).isZero();
    assertThat(result.at("/lateness_ms").has("p99_9")).isTrue();
    // one entry per second of the 4 s window, each the latest first attempt due in it
    assertThat(result.at("/lateness_ms/worst_by_second").size()).isEqualTo(4);
    assertThat(result.at("/lateness_ms/worst_by_second/0").isNumber()).isTrue();
    assertThat(lines).contains("LoadBench result");
  }

  @Test
  void helpNamesEveryFlag() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    int status =
        new LoadBench(Clock.systemUTC(), Map.of(), new PrintStream(buffer, true, UTF_8))
            .run(new String[] {"--help"});

    assertThat(status).isZero();
    assertThat(buffer.toString(UTF_8))
        .contains("--mode", "--schedules", "--rate", "--seconds", "--db", "--target-delay-ms");
  }

  @Test
  void anUnknownFlagIsABadCommandLine() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    int status =
        new LoadBench(Clock.systemUTC(), Map.of(), new PrintStream(buffer, true, UTF_8))
            .run(new String[] {"--rat", "5"});

    assertThat(status).isEqualTo(2);
    assertThat(buffer.toString(UTF_8)).contains("unknown option --rat");
  }
}
