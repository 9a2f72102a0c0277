package dev.chime.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleRules;
import dev.chime.server.ChimeNode;
import dev.chime.server.config.ChimeConfig;
import dev.chime.server.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One Chime node under load: N schedules registered straight into the database, fired at a steady
 * rate or all at one instant, at an HTTP target in a separate process ({@link LoadTarget}). Prints
 * delivery, lateness, duplicates, gaps, database commits per fire and whether every run was
 * written, as a table and as one JSON line.
 *
 * <p>Run: {@code ./mvnw -q -pl chime-bench -am package -DskipTests && java -cp
 * chime-bench/target/chime-bench.jar dev.chime.bench.LoadBench --help}.
 */
public final class LoadBench {
  private final Clock clock;
  private final Map<String, String> environment;
  private final PrintStream out;

  LoadBench(Clock clock, Map<String, String> environment, PrintStream out) {
    this.clock = clock;
    this.environment = environment;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    // the node logs one line per run outcome; at thousands a second they would bury the report
    // (-Dchime.bench.runlog=true keeps them, to measure what they cost: CHIME_LOG_RUNS=on)
    if (!Boolean.getBoolean("chime.bench.runlog")) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("chime.runs"))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    System.exit(new LoadBench(Clock.systemUTC(), System.getenv(), System.out).run(args));
  }

  /** Runs the bench; returns the exit status (2 for a bad command line). */
  int run(String[] args) throws Exception {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      out.println("LoadBench: " + e.getMessage());
      out.print(LoadOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      out.print(LoadOptions.USAGE);
      return 0;
    }
    Path dataDir = Files.createTempDirectory("chime-loadbench");
    try {
      ObjectNode result = measure(options, dataDir);
      LoadReport.print(result, out);
      return 0;
    } finally {
      deleteRecursively(dataDir);
    }
  }

  private ObjectNode measure(LoadOptions options, Path dataDir) throws Exception {
    ChimeConfig config = ConfigLoader.load(Optional.empty(), nodeEnvironment(options, dataDir));
    List<String> notes = new ArrayList<>();
    Duration lifetime =
        Duration.ofSeconds(180 + options.schedules() / 1_000)
            .plus(options.warmup())
            .plus(options.window())
            .plus(options.drain());
    LoadReport.Measurement measurement;
    double loadBefore = loadAverage();
    try (TargetProcess target =
            TargetProcess.start(options.targetDelay(), options.targetFailPercent(), lifetime);
        BenchDatabase db = BenchDatabase.open(config)) {
      int removed = db.removeEarlierBenchRuns();
      if (removed > 0) {
        out.printf("removed %d schedules of earlier bench runs, and their runs%n", removed);
      }
      if (!db.vacuumIfPostgres()) {
        notes.add(
            "PostgreSQL runs with autovacuum off: the bench vacuumed runs and schedules first,"
                + " but dead rows pile up during the run");
      }
      long others = db.otherEnabledSchedules();
      if (others > 0) {
        notes.add(others + " enabled schedules that are not the bench's add load of their own");
      }
      try (Nodes nodes = startNodes(config, options, dataDir)) {
        LoadPlan plan = LoadPlan.create(options, clock.instant());
        List<Schedule> schedules = plan.schedules(target.hook());
        new ScheduleRules(config.minInterval(), config.maxPayloadBytes())
            .check(schedules.get(0).spec(), Optional.empty(), clock.instant());
        long startNanos = System.nanoTime();
        db.insert(schedules);
        db.analyzeIfPostgres();
        long registerMillis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        nodes.wake();
        Instant registered = clock.instant();
        out.printf(
            "registered %d schedules in %d ms; first fire %s%n",
            schedules.size(), registerMillis, plan.firstFire());
        if (registered.isAfter(plan.firstFire())) {
          notes.add(
              "registration ended "
                  + Duration.between(plan.firstFire(), registered).toMillis()
                  + " ms after the first fire");
        }
        Run run =
            options.mode() == LoadOptions.Mode.INTERVAL
                ? interval(options, plan, registered, db, target)
                : burst(options, plan, db, target);
        notes.add("lateness counts first attempts only; receive time is the target's clock");
        measurement =
            new LoadReport.Measurement(
                options,
                db.dialect().name().toLowerCase(Locale.ROOT),
                config,
                registerMillis,
                plan.firstFire(),
                run.windowStart(),
                run.windowEnd(),
                run.arrivals(),
                run.commitsBefore(),
                run.commitsAfter(),
                run.cpuNanos(),
                run.runs(),
                loadBefore,
                loadAverage(),
                notes);
      }
    }
    return LoadReport.json(measurement);
  }

  /**
   * Starts the nodes under test: the first on {@code first}; with {@code --nodes N} the others on
   * the same database, each under its own id and data folder.
   */
  private Nodes startNodes(ChimeConfig first, LoadOptions options, Path dataDir)
      throws IOException {
    Nodes nodes = new Nodes();
    try {
      nodes.started.add(ChimeNode.start(first, clock));
      for (int i = 2; i <= options.nodes(); i++) {
        Path own = Files.createDirectories(dataDir.resolve("node-" + i));
        Map<String, String> env = nodeEnvironment(options, own);
        env.put("CHIME_NODE_ID", first.nodeId() + "-" + i);
        nodes.started.add(ChimeNode.start(ConfigLoader.load(Optional.empty(), env), clock));
      }
    } catch (RuntimeException | IOException e) {
      nodes.close();
      throw e;
    }
    return nodes;
  }

  /** The nodes under test, stopped together. */
  private static final class Nodes implements AutoCloseable {
    private final List<ChimeNode> started = new ArrayList<>();

    void wake() {
      started.forEach(node -> node.engine().wake());
    }

    @Override
    public void close() {
      started.forEach(ChimeNode::close);
    }
  }

  private record Run(
      Instant windowStart,
      Instant windowEnd,
      ArrivalStats arrivals,
      OptionalLong commitsBefore,
      OptionalLong commitsAfter,
      long cpuNanos,
      RunCheck runs) {}

  /** Steady load: the window starts a warm-up after the first fires, or after registration. */
  private Run interval(
      LoadOptions options,
      LoadPlan plan,
      Instant registered,
      BenchDatabase db,
      TargetProcess target)
      throws InterruptedException {
    Instant from = plan.windowStart(registered, options.warmup());
    Instant to = from.plus(options.window());
    Set<String> expected = plan.expectedKeys(from, to);
    out.printf("measuring %s .. %s: %d fires expected%n", from, to, expected.size());
    sleepUntil(from);
    OptionalLong before = db.commits();
    long cpuBefore = processCpuNanos();
    sleepUntil(to);
    long cpu = processCpuNanos() - cpuBefore;
    OptionalLong after = db.commits();
    RunCheck.Settling settling =
        RunCheck.awaitSettled(db, from, to, expected.size(), options.drain());
    ArrivalStats stats = ArrivalStats.of(expected, target.arrivals(), from, to);
    return new Run(
        from,
        to,
        stats,
        before,
        after,
        cpu,
        RunCheck.of(db, from, to, settling, stats.receivedRunIds()));
  }

  /** Every schedule due at one instant: waits until all calls arrived, or the wait is over. */
  private Run burst(LoadOptions options, LoadPlan plan, BenchDatabase db, TargetProcess target)
      throws InterruptedException {
    Instant at = plan.firstFire();
    Instant to = at.plusMillis(1);
    Set<String> expected = plan.expectedKeys(at, to);
    out.printf("burst of %d fires at %s%n", expected.size(), at);
    if (!options.warmup().isZero()) {
      // the warm-up's fires and their results are done by then, and the burst's claims not begun
      sleepUntil(at.minus(LoadPlan.WARMUP_GAP).plusMillis(500));
    }
    OptionalLong before = db.commits();
    long cpuBefore = processCpuNanos();
    sleepUntil(at);
    Instant deadline = at.plus(options.burstWait());
    while (target.count() < expected.size() && clock.instant().isBefore(deadline)) {
      Thread.sleep(100);
    }
    long cpu = processCpuNanos() - cpuBefore;
    RunCheck.Settling settling =
        RunCheck.awaitSettled(db, at, to, expected.size(), options.drain());
    OptionalLong after = db.commits();
    ArrivalStats stats = ArrivalStats.of(expected, target.arrivals(), at, to);
    return new Run(
        at,
        to,
        stats,
        before,
        after,
        cpu,
        RunCheck.of(db, at, to, settling, stats.receivedRunIds()));
  }

  /**
   * The node's settings: a loopback node on a free port with the bench's data folder, a 1 s minimum
   * interval, room for 20,000 calls of the tenant at once and a short shutdown; then any {@code
   * CHIME_*} variable of the environment.
   */
  private Map<String, String> nodeEnvironment(LoadOptions options, Path dataDir) {
    Map<String, String> env = benchNodeEnvironment(dataDir);
    options.dbUrl().ifPresent(url -> env.put("CHIME_DB_URL", url));
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("CHIME_") && !name.equals("CHIME_JAVA_OPTS")) {
            env.put(name, value);
          }
        });
    return env;
  }

  /**
   * What every bench node gets: a loopback node on a free port with {@code dataDir} as its data
   * folder, a 1 s minimum interval, room for 20,000 calls of the tenant at once, a short shutdown
   * and the bench's secrets key.
   */
  static Map<String, String> benchNodeEnvironment(Path dataDir) {
    Map<String, String> env = new HashMap<>();
    env.put("CHIME_HOST", "127.0.0.1");
    env.put("CHIME_PORT", "0");
    env.put("CHIME_DATA_DIR", dataDir.toString());
    env.put("CHIME_SHUTDOWN_GRACE_S", "5");
    env.put("CHIME_QUOTA_MIN_INTERVAL_S", "1");
    // a load test is one tenant sending far more than a tenant's default 50 calls at once
    env.put("CHIME_QUOTA_MAX_RUNNING", "20000");
    env.put("CHIME_SECRETS_KEY", BenchDatabase.SECRETS_KEY);
    return env;
  }

  /**
   * CPU time this process (the nodes, and the bench's own few reads) has used so far; the target
   * runs in a process of its own and a PostgreSQL or MariaDB server in theirs.
   */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  /** The machine's one-minute load average: the bench shares its cores with whatever else runs. */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private void sleepUntil(Instant instant) throws InterruptedException {
    Duration left = Duration.between(clock.instant(), instant);
    if (left.isPositive()) {
      Thread.sleep(left);
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the bench's data folder " + dir, e);
    }
  }
}
