package dev.chime.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.IntervalTrigger;
import dev.chime.schedule.RunPolicy;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.server.ChimeNode;
import dev.chime.server.config.ChimeConfig;
import dev.chime.server.config.ConfigLoader;
import dev.chime.store.Dialect;
import dev.chime.store.EngineStore;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Many schedules stored, few due: N enabled schedules that fire once a day (their next fires spread
 * over the day that starts an hour after the run, so none falls due while it runs) and K hot ones
 * that fire every second at an HTTP target in a process of its own ({@link LoadTarget}). It runs
 * the same hot set twice, each on a database of its own, first beside a small stored set (the
 * baseline, 1,000), then beside N, and reports for each: the time to insert the stored set, the
 * node's start to ready, the engine's claim select (PostgreSQL: {@code EXPLAIN ANALYZE}, in a
 * transaction rolled back, so nothing is claimed; H2: the same select timed), the heap in use after
 * a full GC, and the hot schedules' lateness; then N against the baseline.
 *
 * <p>Run: {@code ./mvnw -q -pl chime-bench -am package -DskipTests && java -cp
 * chime-bench/target/chime-bench.jar dev.chime.bench.ScaleBench [--stored 1000000] [--baseline
 * 1000] [--hot 200] [--seconds 20] [--warmup 5] [--db
 * jdbc:postgresql://127.0.0.1:5432/test?user=postgres | --db h2]}. With a PostgreSQL URL each case
 * gets a database of its own, made and dropped through the one named. The last line printed is the
 * result as one JSON object.
 */
public final class ScaleBench {
  static final String COLD_PREFIX = "scalebench-cold-";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int INSERT_BATCH = 10_000;
  private static final int CLAIM_LIMIT = 500;
  private static final int EXPLAIN_REPEATS = 5;

  /** The engine's claim select, as {@code EngineStore.claimSchedules} sends it. */
  static final String CLAIM_SELECT = EngineStore.dueSchedulesSelect();

  record Options(
      int stored,
      int baseline,
      int hot,
      Duration window,
      Duration warmup,
      String db,
      boolean help) {
    static final String USAGE =
        """
        ScaleBench [options]: the same hot schedules beside few and many stored ones
          --stored N     schedules stored that fire once a day (1000000)
          --baseline B   the small stored set compared with (1000)
          --hot K        schedules firing every second, K fires/s in all (200)
          --seconds S    lateness window of each case (20)
          --warmup W     seconds after the hot set's first fires left out (5)
          --db URL|h2    PostgreSQL URL through which each case's database is made
                         (jdbc:postgresql://127.0.0.1:5432/test?user=postgres), or h2
        """;

    static Options parse(String[] args) {
      int stored = 1_000_000;
      int baseline = 1_000;
      int hot = 200;
      int seconds = 20;
      int warmup = 5;
      String db = Suite.POSTGRES;
      boolean help = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--stored" -> stored = Integer.parseInt(args[++i]);
          case "--baseline" -> baseline = Integer.parseInt(args[++i]);
          case "--hot" -> hot = Integer.parseInt(args[++i]);
          case "--seconds" -> seconds = Integer.parseInt(args[++i]);
          case "--warmup" -> warmup = Integer.parseInt(args[++i]);
          case "--db" -> db = args[++i];
          case "--help", "-h" -> help = true;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (stored < 0 || baseline < 0 || hot < 1 || seconds < 1 || warmup < 0) {
        throw new IllegalArgumentException("counts and seconds must be positive");
      }
      return new Options(
          stored, baseline, hot, Duration.ofSeconds(seconds), Duration.ofSeconds(warmup), db, help);
    }
  }

  private final Clock clock = Clock.systemUTC();
  private final PrintStream out;

  ScaleBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("chime.runs"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.out.println("ScaleBench: " + e.getMessage());
      System.out.print(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(Options.USAGE);
      return;
    }
    ObjectNode result = new ScaleBench(System.out).measure(options);
    System.out.println(JSON.writeValueAsString(result));
    System.exit(0);
  }

  /** Both cases, baseline first, and N against the baseline. */
  ObjectNode measure(Options options) throws Exception {
    ObjectNode result = JSON.createObjectNode();
    result.put("bench", "ScaleBench");
    result.put("hot", options.hot());
    result.put("window_s", options.window().toSeconds());
    result.put("load_average_before", Machine.loadAverage());
    ArrayNode cases = result.putArray("cases");
    ObjectNode small = measureCase(options, options.baseline());
    cases.add(small);
    ObjectNode large = measureCase(options, options.stored());
    cases.add(large);
    result.put("load_average_after", Machine.loadAverage());
    ObjectNode compare = result.putObject("stored_against_baseline");
    compare.put("stored", options.stored());
    compare.put("baseline", options.baseline());
    compare.put(
        "lateness_p99_ratio",
        ratio(large.at("/lateness_ms/p99").asDouble(), small.at("/lateness_ms/p99").asDouble()));
    compare.put(
        "lateness_p50_ratio",
        ratio(large.at("/lateness_ms/p50").asDouble(), small.at("/lateness_ms/p50").asDouble()));
    compare.put(
        "claim_ms_ratio",
        ratio(large.at("/claim/median_ms").asDouble(), small.at("/claim/median_ms").asDouble()));
    compare.put(
        "heap_mb_difference",
        large.path("heap_used_after_gc_mb").asLong()
            - small.path("heap_used_after_gc_mb").asLong());
    compare.put(
        "restart_ms_difference",
        large.path("restart_ms").asLong() - small.path("restart_ms").asLong());
    result
        .putArray("notes")
        .add(
            "stored schedules fire once a day, next fires spread over the day from an hour after"
                + " the run: none falls due during it")
        .add("heap: the bench's JVM, which holds the node, after System.gc()")
        .add("lateness: first attempts of the hot set, receive time at the target minus scheduled");
    print(result);
    return result;
  }

  private static double ratio(double a, double b) {
    return b <= 0 ? (a <= 0 ? 1.0 : Double.POSITIVE_INFINITY) : Math.round(a / b * 100) / 100.0;
  }

  private ObjectNode measureCase(Options options, int stored) throws Exception {
    ObjectNode node = JSON.createObjectNode();
    node.put("stored", stored);
    node.put("hot", options.hot());
    node.put("load_average_before", Machine.loadAverage());
    boolean postgres = ScratchDatabase.isPostgres(options.db());
    Path dataDir = Files.createTempDirectory("chime-scalebench");
    ScratchDatabase scratch =
        postgres ? ScratchDatabase.create(options.db(), "chime_scalebench") : null;
    try {
      Map<String, String> env = LoadBench.benchNodeEnvironment(dataDir);
      if (scratch != null) {
        env.put("CHIME_DB_URL", scratch.url());
      }
      ChimeConfig config = ConfigLoader.load(Optional.empty(), env);
      Duration lifetime =
          Duration.ofSeconds(300 + stored / 2_000).plus(options.warmup()).plus(options.window());
      try (TargetProcess target = TargetProcess.start(Duration.ZERO, 0, lifetime);
          BenchDatabase db = BenchDatabase.open(config)) {
        node.put("database", db.dialect().name().toLowerCase(java.util.Locale.ROOT));
        long insertStart = System.nanoTime();
        insertCold(db, stored, target.hook());
        long insertMillis = (System.nanoTime() - insertStart) / 1_000_000;
        node.put("insert_ms", insertMillis);
        db.vacuumIfPostgres();
        settleAfterInsert(db);
        out.printf("stored %,d daily schedules in %,d ms%n", stored, insertMillis);

        // the first start in a JVM loads and compiles the node's classes: the case started first
        // pays for that, so each case also starts the node a second time, on a warm JVM
        long startNanos = System.nanoTime();
        ChimeNode.start(config, clock).close();
        long startMillis = (System.nanoTime() - startNanos) / 1_000_000;
        node.put("start_ms", startMillis);
        long restartNanos = System.nanoTime();
        try (ChimeNode chime = ChimeNode.start(config, clock)) {
          long restartMillis = (System.nanoTime() - restartNanos) / 1_000_000;
          node.put("restart_ms", restartMillis);
          out.printf(
              "node started to ready with %,d stored in %,d ms; started again in %,d ms%n",
              stored, startMillis, restartMillis);
          hot(options, db, target, chime, node);
        }
      }
    } finally {
      if (scratch != null) {
        scratch.close();
      }
      LoadBench.deleteRecursively(dataDir);
    }
    node.put("load_average_after", Machine.loadAverage());
    return node;
  }

  /**
   * The hot set: inserted once the node runs, measured over the window, then the claim and heap.
   */
  private void hot(
      Options options, BenchDatabase db, TargetProcess target, ChimeNode chime, ObjectNode node)
      throws Exception {
    LoadOptions load =
        LoadOptions.parse(
            new String[] {
              "--schedules",
              Integer.toString(options.hot()),
              "--rate",
              Integer.toString(options.hot()),
              "--seconds",
              Long.toString(options.window().toSeconds()),
              "--warmup",
              Long.toString(options.warmup().toSeconds())
            });
    LoadPlan plan = LoadPlan.create(load, clock.instant());
    db.insert(plan.schedules(target.hook()));
    db.analyzeIfPostgres();
    chime.engine().wake();
    Instant registered = clock.instant();
    Instant from = plan.windowStart(registered, options.warmup());
    Instant to = from.plus(options.window());
    Set<String> expected = plan.expectedKeys(from, to);
    out.printf("measuring the hot set %s .. %s: %d fires expected%n", from, to, expected.size());
    sleepUntil(from);
    OptionalLong commitsBefore = db.commits();
    sleepUntil(to);
    OptionalLong commitsAfter = db.commits();

    // with the hot set still firing: the claim, as the engine sends it, then the heap
    node.set("claim", claim(db));
    node.put("heap_used_after_gc_mb", heapAfterGcMb());

    RunCheck.Settling settling = RunCheck.awaitSettled(db, from, to, expected.size(), load.drain());
    ArrivalStats stats = ArrivalStats.of(expected, target.arrivals(), from, to);
    RunCheck runs = RunCheck.of(db, from, to, settling, stats.receivedRunIds());
    ObjectNode delivery = node.putObject("delivery");
    delivery.put("expected", stats.expected());
    delivery.put("received", stats.received());
    delivery.put("delivered_pct", Math.round(stats.deliveredPercent() * 10) / 10.0);
    delivery.put("achieved_rate", Math.round(stats.achievedRate(options.window()) * 10) / 10.0);
    delivery.put("same_key_and_attempt", stats.repeatedAttempts());
    delivery.put("every_result_written", runs.allWritten());
    Percentiles lateness = stats.lateness();
    ObjectNode late = node.putObject("lateness_ms");
    late.put("p50", lateness.p50());
    late.put("p90", lateness.p90());
    late.put("p99", lateness.p99());
    late.put("p99_9", lateness.p999());
    late.put("max", lateness.max());
    if (commitsBefore.isPresent() && commitsAfter.isPresent() && stats.received() > 0) {
      node.put(
          "commits_per_fire",
          Math.round(
                  (commitsAfter.getAsLong() - commitsBefore.getAsLong())
                      * 1000.0
                      / stats.callsReceivedInWindow())
              / 1000.0);
    }
  }

  /** Writes {@code count} enabled daily schedules in batches, never holding them all at once. */
  private void insertCold(BenchDatabase db, int count, URI hook) {
    Instant now = clock.instant();
    Instant firstDay = now.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    long spacingMillis = count == 0 ? 0 : Duration.ofDays(1).toMillis() / count;
    HttpTarget target =
        new HttpTarget("POST", hook, Map.of(), Duration.ofSeconds(10), Duration.ofHours(1));
    IntervalTrigger daily = new IntervalTrigger(Duration.ofDays(1));
    for (int start = 0; start < count; start += INSERT_BATCH) {
      List<Schedule> batch = new ArrayList<>(Math.min(INSERT_BATCH, count - start));
      for (int i = start; i < Math.min(count, start + INSERT_BATCH); i++) {
        ScheduleSpec spec =
            new ScheduleSpec(
                COLD_PREFIX + i, "", true, daily, target, "{\"i\":" + i + "}", RunPolicy.DEFAULTS);
        batch.add(
            new Schedule(
                UUID.randomUUID(),
                "default",
                spec,
                Optional.of(firstDay.plusMillis(spacingMillis * i)),
                Optional.empty(),
                now,
                now,
                Schedule.Health.NEW));
      }
      db.insert(batch);
    }
  }

  /**
   * Leaves the insert behind before anything is measured: PostgreSQL writes the inserted pages out
   * now ({@code CHECKPOINT}) rather than during the window, and this JVM collects the schedules it
   * built.
   */
  private static void settleAfterInsert(BenchDatabase db) throws SQLException {
    if (db.dialect() == Dialect.POSTGRESQL) {
      try (Connection connection = db.connection();
          java.sql.Statement statement = connection.createStatement()) {
        statement.execute("CHECKPOINT");
      }
    }
    System.gc();
  }

  /**
   * The engine's claim select with its own parameters (due within the 2 s lookahead, 500 at most),
   * in a transaction that is rolled back. On PostgreSQL: {@code EXPLAIN ANALYZE} with its row locks
   * ({@code FOR UPDATE SKIP LOCKED}, as the claim takes them), execution time and plan; on H2 the
   * select's time from JDBC (H2's claim takes no row lock).
   */
  private ObjectNode claim(BenchDatabase db) throws SQLException {
    ObjectNode claim = JSON.createObjectNode();
    boolean postgres = db.dialect() == Dialect.POSTGRESQL;
    List<Double> millis = new ArrayList<>();
    List<String> plan = new ArrayList<>();
    int rows = 0;
    try (Connection connection = db.connection()) {
      connection.setAutoCommit(false);
      try {
        for (int i = 0; i < EXPLAIN_REPEATS + 1; i++) {
          Instant now = clock.instant();
          String sql =
              postgres
                  ? "EXPLAIN (ANALYZE, BUFFERS) " + CLAIM_SELECT + " FOR UPDATE SKIP LOCKED"
                  : CLAIM_SELECT;
          try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, db.bindable(now.plusSeconds(2)));
            select.setObject(2, db.bindable(Instant.EPOCH));
            select.setObject(3, db.bindable(now));
            select.setString(4, "scalebench-explain");
            select.setObject(5, db.bindable(now.minus(Duration.ofHours(1))));
            select.setInt(6, CLAIM_LIMIT);
            long start = System.nanoTime();
            List<String> lines = new ArrayList<>();
            int count = 0;
            try (ResultSet result = select.executeQuery()) {
              while (result.next()) {
                count++;
                if (postgres) {
                  lines.add(result.getString(1));
                }
              }
            }
            double elapsed = (System.nanoTime() - start) / 1e6;
            if (postgres) {
              elapsed = executionTime(lines);
              count = actualRows(lines);
            }
            connection.rollback();
            if (i == 0) {
              continue; // the first one warms the plan cache and the pages
            }
            millis.add(elapsed);
            rows = count;
            if (i == EXPLAIN_REPEATS) {
              plan = lines;
            }
          }
        }
      } finally {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    }
    Collections.sort(millis);
    claim.put("how", postgres ? "EXPLAIN (ANALYZE, BUFFERS), rolled back" : "timed select");
    claim.put("median_ms", Math.round(millis.get(millis.size() / 2) * 1000) / 1000.0);
    claim.put("max_ms", Math.round(millis.get(millis.size() - 1) * 1000) / 1000.0);
    claim.put("rows", rows);
    plan.forEach(claim.putArray("plan")::add);
    return claim;
  }

  private static double executionTime(List<String> plan) {
    for (String line : plan) {
      String trimmed = line.trim();
      if (trimmed.startsWith("Execution Time:")) {
        return Double.parseDouble(trimmed.replaceAll("[^0-9.]", ""));
      }
    }
    return -1;
  }

  /** The rows of the plan's top node ({@code actual ... rows=N}). */
  private static int actualRows(List<String> plan) {
    for (String line : plan) {
      int at = line.indexOf("(actual");
      if (at >= 0) {
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("rows=(\\d+)").matcher(line.substring(at));
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
    }
    return -1;
  }

  private static long heapAfterGcMb() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }

  private void print(ObjectNode result) {
    out.println();
    out.printf(
        "ScaleBench: %d hot schedules every second beside few and many stored (load %s -> %s)%n",
        result.path("hot").asInt(),
        result.path("load_average_before").asText(),
        result.path("load_average_after").asText());
    out.printf(
        "  %-10s %-10s %10s %13s %13s %9s %22s %s%n",
        "stored",
        "database",
        "insert ms",
        "start/again ms",
        "claim ms med",
        "heap MB",
        "lateness p50/p99/max",
        "delivered");
    for (var c : result.path("cases")) {
      out.printf(
          "  %-10d %-10s %10d %13s %13s %9d %22s %s%% (load %s)%n",
          c.path("stored").asInt(),
          c.path("database").asText(),
          c.path("insert_ms").asLong(),
          c.path("start_ms").asLong() + "/" + c.path("restart_ms").asLong(),
          c.at("/claim/median_ms").asText(),
          c.path("heap_used_after_gc_mb").asLong(),
          c.at("/lateness_ms/p50").asText()
              + "/"
              + c.at("/lateness_ms/p99").asText()
              + "/"
              + c.at("/lateness_ms/max").asText(),
          c.at("/delivery/delivered_pct").asText(),
          c.path("load_average_before").asText());
    }
    out.printf(
        "  stored/baseline: lateness p99 %sx, claim %sx, heap %+d MB, start again %+d ms%n",
        result.at("/stored_against_baseline/lateness_p99_ratio").asText(),
        result.at("/stored_against_baseline/claim_ms_ratio").asText(),
        result.at("/stored_against_baseline/heap_mb_difference").asLong(),
        result.at("/stored_against_baseline/restart_ms_difference").asLong());
  }

  private void sleepUntil(Instant instant) throws InterruptedException {
    Duration left = Duration.between(clock.instant(), instant);
    if (left.isPositive()) {
      Thread.sleep(left);
    }
  }
}
