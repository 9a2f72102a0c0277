package dev.chime.bench;

import dev.chime.run.RunOrigin;
import dev.chime.run.RunOutcome;
import dev.chime.schedule.PolicyJson;
import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.EngineStore;
import dev.chime.store.EngineStore.StartWrites;
import dev.chime.store.Page;
import dev.chime.store.ResultStore.Completion;
import dev.chime.store.RetentionStore;
import dev.chime.store.RunPartitions;
import dev.chime.store.RunRef;
import dev.chime.store.RunStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Run history at scale on PostgreSQL: the engine's claims, the start's read of the runs in flight,
 * the API's history reads and retention, with millions of runs stored, first on the plain runs
 * table (schema before version 5), then on the same rows partitioned by day (after migrating to
 * version 5, which is timed too). Works in a database of its own, dropped at the end.
 *
 * <p>Run: {@code ./mvnw -q -pl chime-bench -am package -DskipTests && java -cp
 * chime-bench/target/chime-bench.jar dev.chime.bench.HistoryBench [--runs 10000000] [--schedules
 * 5000] [--db jdbc:postgresql://127.0.0.1:5432/test?user=postgres] [--keep]}. Prints a table, then
 * the figures as one JSON object on the last line; {@code --keep} leaves the database behind for a
 * look at the plans.
 */
public final class HistoryBench {
  private static final String OWNER = "historybench-claimer";
  private static final int BATCH = 500;

  private final Clock clock = Clock.systemUTC();
  private final Random random = new Random(42);
  private final Map<String, Map<String, double[]>> results = new LinkedHashMap<>();
  private List<UUID> scheduleIds;
  private List<UUID> runIds;

  public static void main(String[] args) throws Exception {
    int runs = 10_000_000;
    int schedules = 5_000;
    String admin = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--schedules" -> schedules = Integer.parseInt(args[++i]);
        case "--db" -> admin = args[++i];
        case "--keep" -> keep = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    new HistoryBench().run(admin, schedules, runs, keep);
  }

  private void run(String admin, int schedules, int runs, boolean keep) throws Exception {
    String name = "chime_historybench_" + UUID.randomUUID().toString().substring(0, 8);
    String url = admin.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
    execute(admin, "CREATE DATABASE " + name);
    try {
      DatabaseSettings settings = new DatabaseSettings(url, "", "", 4, Duration.ofSeconds(30));
      long fillNanos = System.nanoTime();
      try (Database db = Database.openBefore(settings, "5")) {
        HistoryData.fill(db, schedules, runs);
        log("filled %,d runs of %,d schedules in %d s", count(db), schedules, since(fillNanos));
        sample(db);
        measure("before", db);
      }
      long migrateNanos = System.nanoTime();
      try (Database db = Database.open(settings)) {
        double migrated = (System.nanoTime() - migrateNanos) / 1e9;
        log("migrated to version 5 (runs partitioned by day) in %.0f s", migrated);
        results.put("migration", Map.of("seconds", new double[] {migrated}));
        HistoryData.analyze(db);
        measure("after", db);
      }
    } finally {
      if (keep) {
        log("kept the database %s (drop it by hand)", name);
      } else {
        execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
    report(schedules, runs);
  }

  private void measure(String shape, Database db) throws SQLException {
    EngineStore engine = new EngineStore(db);
    RunStore runs = new RunStore(db);
    Instant now = clock.instant();
    Instant longAgo = now.minus(Duration.ofHours(1));
    time(
        shape,
        "claim 500 due schedules",
        20,
        () -> {
          int n =
              engine
                  .claimSchedules(
                      OWNER, now.plusSeconds(2), now, now.plusSeconds(30), BATCH, longAgo)
                  .size();
          engine.releaseLeases(OWNER);
          return n;
        });
    time(
        shape,
        "claim 500 queued runs",
        20,
        () -> {
          int n =
              engine
                  .claimRuns(OWNER, now.plusSeconds(2), now, now.plusSeconds(30), BATCH, longAgo)
                  .size();
          engine.releaseLeases(OWNER);
          return n;
        });
    time(
        shape,
        "start: lock 500 schedules, read their runs in flight",
        20,
        () -> {
          engine.start(
              OWNER,
              pick(scheduleIds, BATCH),
              List.of("default"),
              activity -> new StartWrites(List.of(), List.of(), List.of()),
              now);
          return BATCH;
        });
    time(
        shape,
        "expiry check (nothing due)",
        20,
        () -> engine.results().expireOverdue(now, BATCH, id -> false));
    time(
        shape,
        "list a schedule's runs, first page of 50",
        200,
        () ->
            runs.listBySchedule("default", pick(scheduleIds), Optional.empty(), 50).items().size());
    timeNanos(
        shape,
        "list a schedule's runs, page of 50 after 1,000",
        100,
        () -> {
          UUID schedule = pick(scheduleIds);
          Page<?> first = runs.listBySchedule("default", schedule, Optional.empty(), 1000);
          long start = System.nanoTime();
          runs.listBySchedule("default", schedule, first.nextCursor(), 50);
          return System.nanoTime() - start;
        });
    time(
        shape, "get a run by id", 500, () -> runs.get("default", pick(runIds)).isPresent() ? 1 : 0);
    List<RunRef> running = running(db);
    int perWrite = Math.min(BATCH, running.size());
    List<UUID> closed = new ArrayList<>();
    time(
        shape,
        "write 500 results (runs closed by id)",
        perWrite == 0 ? 0 : running.size() / perWrite,
        () -> {
          List<Completion> batch = new ArrayList<>();
          for (RunRef ref : running.subList(closed.size(), closed.size() + perWrite)) {
            batch.add(
                new Completion(
                    ref, RunOutcome.success(200, "ok", 10), now, now, now.plusSeconds(60)));
            closed.add(ref.runId());
          }
          engine.results().complete(batch);
          return perWrite;
        });
    reopen(db, closed);
    RetentionStore retention = new RetentionStore(db);
    time(
        shape,
        "trim: first batch of 500 (with the sweep's count of all runs)",
        1,
        () -> retention.trimPerSchedule(1000, BATCH));
    time(shape, "trim: next batch of 500", 10, () -> retention.trimPerSchedule(1000, BATCH));
    Instant cutoff = now.minus(Duration.ofDays(29));
    if (shape.equals("before")) {
      long start = System.nanoTime();
      int deleted = 0;
      while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15)) {
        int batch = retention.deleteOlderThan(cutoff, BATCH);
        deleted += batch;
        if (batch < BATCH) {
          break;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      results
          .computeIfAbsent(
              "by age: runs deleted per second, in batches of 500", k -> new LinkedHashMap<>())
          .put(shape, new double[] {deleted / seconds, deleted / seconds});
    } else {
      // the days the row deletes above reached are gone already: the next two whole days go
      Instant later = now.minus(Duration.ofDays(27));
      long before = count(db);
      long start = System.nanoTime();
      RunPartitions.Change dropped = retention.dropPartitionsOlderThan(later);
      double ms = (System.nanoTime() - start) / 1e6;
      long gone = before - count(db);
      results
          .computeIfAbsent("by age: drop whole days (ms)", k -> new LinkedHashMap<>())
          .put(shape, new double[] {ms, ms});
      results
          .computeIfAbsent("by age: runs those days held", k -> new LinkedHashMap<>())
          .put(shape, new double[] {gone, gone});
      log("dropped %s (%,d runs) in %.0f ms", dropped.done(), gone, ms);
    }
  }

  /** Runs {@code op} {@code reps} times, after 3 unmeasured runs when {@code reps} is 5 or more. */
  private void time(String shape, String what, int reps, IntSupplier op) {
    timeNanos(
        shape,
        what,
        reps,
        () -> {
          long start = System.nanoTime();
          op.getAsInt();
          return System.nanoTime() - start;
        });
  }

  /** As {@link #time}, for an {@code op} that measures the part of itself that counts. */
  private void timeNanos(String shape, String what, int reps, LongSupplier op) {
    if (reps == 0) {
      return;
    }
    List<Double> millis = new ArrayList<>();
    int warmup = reps < 5 ? 0 : 3; // few repetitions: each one uses up what it measures
    for (int i = 0; i < reps + warmup; i++) {
      long nanos = op.getAsLong();
      if (i >= warmup) {
        millis.add(nanos / 1e6);
      }
    }
    Collections.sort(millis);
    double median = millis.get(millis.size() / 2);
    double p90 = millis.get(Math.min(millis.size() - 1, (int) Math.ceil(millis.size() * 0.9) - 1));
    results
        .computeIfAbsent(what, k -> new LinkedHashMap<>())
        .put(shape, new double[] {median, p90});
    log("%-6s %-62s median %8.2f ms, p90 %8.2f ms", shape, what, median, p90);
  }

  private void sample(Database db) throws SQLException {
    scheduleIds = ids(db, "SELECT id FROM schedules");
    runIds = ids(db, "SELECT id FROM runs TABLESAMPLE SYSTEM (0.1) LIMIT 2000");
  }

  private static List<RunRef> running(Database db) throws SQLException {
    List<RunRef> refs = new ArrayList<>();
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT r.id, r.schedule_id, r.run_key, r.attempt, r.scheduled_at, s.policy_json"
                    + " FROM runs r JOIN schedules s ON s.id = r.schedule_id"
                    + " WHERE r.status = 'running' ORDER BY r.id")) {
      while (rows.next()) {
        refs.add(
            new RunRef(
                UUID.fromString(rows.getString(1)),
                UUID.fromString(rows.getString(2)),
                "default",
                rows.getString(3),
                rows.getInt(4),
                RunOrigin.SCHEDULE,
                rows.getObject(5, java.time.OffsetDateTime.class).toInstant(),
                PolicyJson.fromStored(rows.getString(6))));
      }
    }
    return refs;
  }

  /** Puts the runs the result writes closed back to running, for the next shape's measurement. */
  private static void reopen(Database db, List<UUID> ids) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          "UPDATE runs SET status = 'running', finished_at = NULL, duration_ms = NULL,"
              + " http_status = NULL, lease_owner = 'historybench-node' WHERE id IN ('"
              + String.join("','", ids.stream().map(UUID::toString).toList())
              + "')");
    }
  }

  private static List<UUID> ids(Database db, String sql) throws SQLException {
    List<UUID> ids = new ArrayList<>();
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        ids.add(UUID.fromString(rows.getString(1)));
      }
    }
    return ids;
  }

  private static long count(Database db) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM runs")) {
      row.next();
      return row.getLong(1);
    }
  }

  private UUID pick(List<UUID> ids) {
    return ids.get(random.nextInt(ids.size()));
  }

  private List<UUID> pick(List<UUID> ids, int n) {
    List<UUID> copy = new ArrayList<>(ids);
    Collections.shuffle(copy, random);
    return copy.subList(0, Math.min(n, copy.size()));
  }

  private void report(int schedules, int runs) {
    System.out.printf(
        Locale.ROOT,
        "%nHistoryBench: %,d runs of %,d schedules, PostgreSQL, plain table (before) and"
            + " partitioned by day (after); median / p90 in ms%n%n",
        runs,
        schedules);
    System.out.printf(Locale.ROOT, "| %-62s | %-19s | %-19s |%n", "", "before", "after");
    System.out.printf(Locale.ROOT, "|%s|%s|%s|%n", "-".repeat(64), "-".repeat(21), "-".repeat(21));
    StringBuilder json = new StringBuilder("{\"runs\":" + runs + ",\"schedules\":" + schedules);
    for (var entry : results.entrySet()) {
      double[] before = entry.getValue().get("before");
      double[] after = entry.getValue().get("after");
      if (entry.getKey().equals("migration")) {
        double[] s = entry.getValue().get("seconds");
        System.out.printf(
            Locale.ROOT, "| %-62s | %-19s | %-19s |%n", "migrate to V5 (s)", "", fmt(s, true));
        json.append(String.format(Locale.ROOT, ",\"migration_s\":%.1f", s[0]));
        continue;
      }
      boolean single = entry.getKey().startsWith("by age");
      System.out.printf(
          Locale.ROOT,
          "| %-62s | %-19s | %-19s |%n",
          entry.getKey(),
          fmt(before, single),
          fmt(after, single));
      json.append(",\"")
          .append(entry.getKey().replace("\"", "'"))
          .append("\":{")
          .append(
              before == null
                  ? ""
                  : String.format(Locale.ROOT, "\"before\":[%.2f,%.2f]", before[0], before[1]))
          .append(before != null && after != null ? "," : "")
          .append(
              after == null
                  ? ""
                  : String.format(Locale.ROOT, "\"after\":[%.2f,%.2f]", after[0], after[1]))
          .append("}");
    }
    System.out.println();
    System.out.println(json.append("}"));
  }

  private static String fmt(double[] value, boolean single) {
    if (value == null) {
      return "-";
    }
    return single
        ? String.format(Locale.ROOT, "%,.0f", value[0])
        : String.format(Locale.ROOT, "%.2f / %.2f", value[0], value[1]);
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long since(long startNanos) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
  }

  private static void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, format + "%n", args);
  }
}
