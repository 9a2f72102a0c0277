package dev.chime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.bench.hot.HotPaths;
import dev.chime.bench.peer.PeerBench;
import dev.chime.bench.peer.PeerOptions;
import dev.chime.bench.peer.TimingBench;
import dev.chime.bench.peer.TimingOptions;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole benchmark suite in one command: {@link PeerBench} (Chime beside db-scheduler and
 * Quartz), {@link TimingBench} (their lateness at steady loads; now + 1 s), the JMH hot paths (cron
 * next fire against cron-utils, schedule JSON), and {@link LoadBench} steady and burst runs over
 * HTTP, {@link ScaleBench} (few due among many stored) and {@link ApiBench} (create, get, list over
 * HTTP with auth); one table of the figures with the machine's facts, and all of it as JSON ({@code
 * --json FILE}, and the last line).
 *
 * <p>Run: {@code bin/bench [--quick] [--json FILE]}: under 10 minutes on a 2-core machine, {@code
 * --quick} under 2.
 */
public final class Suite {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  /** How big each part of one suite run is. */
  record Sizes(
      String name,
      List<String> peers,
      List<String> timing,
      HotPaths.Effort hotPaths,
      List<String> steady,
      List<String> burst,
      List<String> scale,
      List<String> api) {
    static final Sizes FULL =
        new Sizes(
            "full",
            List.of(
                "--jobs",
                "10000,40000",
                "--rounds",
                "2",
                "--max-seconds",
                "8",
                "--quartz-max-jobs",
                "10000"),
            // db-scheduler at its default 10 s poll runs at 100/s only, over a 20 s window; Quartz
            // falls behind at 1,000/s already, and registering its 10,000 triggers for 5,000/s took
            // 10-20 s of the suite's 10 minutes
            List.of(
                "--rates",
                "100,1000,5000",
                "--rates-of",
                "quartz=100+1000",
                "--warmup-seconds",
                "1",
                "--seconds",
                "3",
                "--drain-seconds",
                "1",
                "--now-plus-one",
                "6"),
            HotPaths.Effort.SUITE,
            List.of("--schedules", "10000", "--rate", "1000", "--seconds", "20", "--warmup", "5"),
            List.of("--mode", "burst", "--schedules", "10000", "--seconds", "60"),
            // 1,000,000 stored takes ScaleBench on its own (docs/benchmarks.md): the suite's
            // 10 minutes hold 100,000
            List.of(
                "--stored",
                "100000",
                "--baseline",
                "1000",
                "--hot",
                "200",
                "--seconds",
                "10",
                "--warmup",
                "3"),
            List.of("--clients", "16", "--seconds", "5", "--warmup", "1"));
    static final Sizes QUICK =
        new Sizes(
            "quick",
            List.of("--jobs", "2000", "--rounds", "1", "--max-seconds", "2"),
            // Quartz at 100/s only: at 1,000/s it falls behind, which the full run shows
            List.of(
                "--rates",
                "100,1000",
                "--peers",
                "chime,db-scheduler,quartz",
                "--rates-of",
                "quartz=100",
                "--warmup-seconds",
                "0.3",
                "--seconds",
                "1",
                "--drain-seconds",
                "1",
                "--now-plus-one",
                "1"),
            HotPaths.Effort.QUICK,
            List.of(
                "--schedules",
                "1000",
                "--rate",
                "200",
                "--seconds",
                "5",
                "--warmup",
                "2",
                "--drain-seconds",
                "10"),
            List.of(
                "--mode",
                "burst",
                "--schedules",
                "2000",
                "--seconds",
                "20",
                "--warmup",
                "2",
                "--drain-seconds",
                "10"),
            List.of(
                "--stored",
                "5000",
                "--baseline",
                "1000",
                "--hot",
                "50",
                "--seconds",
                "2",
                "--warmup",
                "1"),
            List.of("--clients", "8", "--seconds", "1", "--warmup", "1"));
  }

  private final PrintStream out;

  Suite(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    PeerBench.quietLogs();
    Sizes sizes = Sizes.FULL;
    Path json = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> sizes = Sizes.QUICK;
        case "--json" -> json = Path.of(args[++i]);
        case "--help", "-h" -> {
          System.out.println(
              "Suite [--quick] [--json FILE]: PeerBench, TimingBench, the JMH hot paths, LoadBench"
                  + " steady and burst, ScaleBench and ApiBench; under 10 minutes on 2 cores, --quick"
                  + " under 2.");
          return;
        }
        default -> {
          System.out.println("Suite: unknown option " + args[i] + "; see --help");
          System.exit(2);
        }
      }
    }
    new Suite(System.out).run(sizes, json);
    System.exit(0);
  }

  /** Records how long the part begun at {@code startNanos} took; returns the time it ended. */
  private static long took(ObjectNode seconds, String part, long startNanos) {
    long now = System.nanoTime();
    seconds.put(part, Math.round((now - startNanos) / 1e8) / 10.0);
    return now;
  }

  /** Runs every part at {@code sizes}; writes the result to {@code json} when given. */
  ObjectNode run(Sizes sizes, Path json) throws Exception {
    long start = System.nanoTime();
    ObjectNode result = JSON.createObjectNode();
    result.put("bench", "Suite");
    result.put("mode", sizes.name());
    ObjectNode machine = result.putObject("machine");
    machine.setAll(Machine.facts());
    machine.put("load_average_before", Machine.loadAverage());
    boolean postgres = PeerBench.postgresAnswers(POSTGRES);
    List<String> notes = new ArrayList<>();
    if (!postgres) {
      notes.add(
          "no PostgreSQL answered at " + POSTGRES + ": PostgreSQL parts left out, LoadBench on H2");
    }

    ObjectNode seconds = JSON.createObjectNode();
    long partStart = System.nanoTime();
    ObjectNode peers = new PeerBench(out).measure(PeerOptions.parse(args(sizes.peers(), POSTGRES)));
    result.set("peers", peers);
    partStart = took(seconds, "peers", partStart);
    if (peers.at("/machine/postgresql").isTextual()) {
      machine.put("postgresql", peers.at("/machine/postgresql").asText());
    }
    if (postgres) {
      result.set(
          "timing",
          new TimingBench(out, Clock.systemUTC())
              .measure(TimingOptions.parse(args(sizes.timing(), POSTGRES))));
      partStart = took(seconds, "timing", partStart);
    }
    result.set("hot_paths", HotPaths.run(sizes.hotPaths(), out));
    partStart = took(seconds, "hot_paths", partStart);
    result.set("load_steady", loadBench(sizes.steady(), postgres));
    partStart = took(seconds, "load_steady", partStart);
    result.set("load_burst", loadBench(sizes.burst(), postgres));
    partStart = took(seconds, "load_burst", partStart);
    result.set("scale", scaleBench(sizes.scale(), postgres));
    partStart = took(seconds, "scale", partStart);
    result.set("api", apiBench(sizes.api(), postgres));
    took(seconds, "api", partStart);
    result.set("part_seconds", seconds);

    machine.put("load_average_after", Machine.loadAverage());
    result.put("elapsed_s", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
    notes.add(
        "a shared machine: read every timing beside the load average; PeerBench takes medians of"
            + " its rounds");
    notes.forEach(result.putArray("notes")::add);
    SuiteReport.print(result, out);
    if (json != null) {
      Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    }
    out.println(JSON.writeValueAsString(result));
    return result;
  }

  private static String[] args(List<String> given, String pg) {
    List<String> all = new ArrayList<>(given);
    all.add("--pg");
    all.add(pg);
    return all.toArray(String[]::new);
  }

  /** The ScaleBench cases on PostgreSQL when it answers, else on H2. */
  private JsonNode scaleBench(List<String> given, boolean postgres) throws Exception {
    List<String> args = new ArrayList<>(given);
    args.add("--db");
    args.add(postgres ? POSTGRES : "h2");
    out.println("ScaleBench " + String.join(" ", args) + " ...");
    return new ScaleBench(out).measure(ScaleBench.Options.parse(args.toArray(String[]::new)));
  }

  /** ApiBench on H2 and, when it answers, PostgreSQL. */
  private JsonNode apiBench(List<String> given, boolean postgres) throws Exception {
    List<String> args = new ArrayList<>(given);
    args.add("--db");
    args.add(postgres ? "h2," + POSTGRES : "h2");
    out.println("ApiBench " + String.join(" ", args) + " ...");
    return new ApiBench(out).measure(ApiBench.Options.parse(args.toArray(String[]::new)));
  }

  /** One LoadBench run, its output passed through; its JSON is its last line. */
  private JsonNode loadBench(List<String> given, boolean postgres) throws Exception {
    List<String> args = new ArrayList<>(given);
    if (postgres) {
      args.add("--db");
      args.add(POSTGRES);
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8);
    out.println("LoadBench " + String.join(" ", args) + " ...");
    int status = new LoadBench(Clock.systemUTC(), Map.of(), both).run(args.toArray(String[]::new));
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    if (status != 0 || lines.isEmpty()) {
      throw new IllegalStateException("LoadBench failed with status " + status);
    }
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  /** Writes to the console and to a buffer at once. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }
  }
}
