package dev.chime.bench.peer;

import dev.chime.dispatch.DispatchRequest;
import dev.chime.dispatch.Dispatcher;
import dev.chime.engine.Engine;
import dev.chime.engine.EngineSettings;
import dev.chime.run.RunOutcome;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.OnceTrigger;
import dev.chime.schedule.RunPolicy;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.Dialect;
import dev.chime.store.EngineStore;
import dev.chime.store.ScheduleStore;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chime's engine embedded as a library, from chime-core alone: the engine on its store, with a
 * dispatcher that answers success at once in this process instead of calling a target over HTTP.
 * Every setting is the node's default. On the embedded H2 each start transaction is written to the
 * file before its calls go out ({@code CHECKPOINT}), as a Chime node does.
 */
final class ChimePeer implements Peer {
  static final Duration LOOKAHEAD = Duration.ofSeconds(2);
  private static final URI NOWHERE = URI.create("http://127.0.0.1:9/peerbench");

  private final String url;
  private final String user;
  private final Executions executions;
  private final Map<UUID, Integer> indexOf = new ConcurrentHashMap<>();
  private final EngineSettings settings =
      new EngineSettings(
          "peerbench",
          Duration.ofMillis(500),
          LOOKAHEAD,
          Duration.ofSeconds(30),
          500,
          Duration.ofSeconds(5),
          NOWHERE,
          20,
          50,
          Duration.ofMillis(500),
          Duration.ofMillis(50),
          64);
  private Database db;
  private Engine engine;

  ChimePeer(String url, String user, Executions executions) {
    this.url = url;
    this.user = user;
    this.executions = executions;
  }

  @Override
  public void start() {
    db = Database.open(new DatabaseSettings(url, user, "", 10, Duration.ofSeconds(10)));
    Runnable startsDurable = db.dialect() == Dialect.H2 ? this::checkpoint : () -> {};
    engine =
        new Engine(
            new EngineStore(db), new InProcess(), Clock.systemUTC(), settings, startsDurable);
    engine.start();
  }

  @Override
  public void register(int jobs, Instant dueAt) {
    Instant now = Instant.now();
    List<Schedule> schedules = new ArrayList<>(jobs);
    for (int i = 0; i < jobs; i++) {
      UUID id = UUID.randomUUID();
      indexOf.put(id, i);
      ScheduleSpec spec =
          new ScheduleSpec(
              "peerbench-" + i,
              "",
              true,
              new OnceTrigger(dueAt),
              new HttpTarget(
                  "POST", NOWHERE, Map.of(), Duration.ofSeconds(10), Duration.ofHours(1)),
              "{\"i\":" + i + "}",
              RunPolicy.DEFAULTS);
      schedules.add(
          new Schedule(
              id,
              "default",
              spec,
              Optional.of(dueAt),
              Optional.empty(),
              now,
              now,
              Schedule.Health.NEW));
    }
    new ScheduleStore(db).insertAll(schedules);
    engine.wake();
  }

  /** Waits until every result is written (the engine is quiet), then stops the engine. */
  @Override
  public void stop() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!engine.isQuiet() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    engine.close();
  }

  /** Run rows by status ({@code runs_success}, ...), and the schedules still enabled. */
  @Override
  public Map<String, Long> check() {
    Map<String, Long> found = new TreeMap<>();
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      try (ResultSet rows =
          statement.executeQuery("SELECT status, COUNT(*) FROM runs GROUP BY status")) {
        while (rows.next()) {
          found.put("runs_" + rows.getString(1), rows.getLong(2));
        }
      }
      try (ResultSet rows =
          statement.executeQuery("SELECT COUNT(DISTINCT schedule_id) FROM runs")) {
        rows.next();
        found.put("schedules_with_a_run", rows.getLong(1));
      }
      try (ResultSet rows =
          statement.executeQuery("SELECT COUNT(*) FROM schedules WHERE enabled = TRUE")) {
        rows.next();
        found.put("schedules_still_enabled", rows.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count Chime's runs: " + e.getMessage(), e);
    }
    return found;
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("engine", "chime-core Engine, embedded; in-process dispatcher answering success");
    shown.put("poll_ms", String.valueOf(settings.poll().toMillis()));
    shown.put("lookahead_ms", String.valueOf(settings.lookahead().toMillis()));
    shown.put("batch_size", String.valueOf(settings.batchSize()));
    shown.put("prestart_ms", String.valueOf(settings.prestart().toMillis()));
    shown.put("result_linger_ms", String.valueOf(settings.resultLinger().toMillis()));
    shown.put("tenant_max_running", String.valueOf(settings.tenantMaxRunning()));
    shown.put("db_pool", "10");
    return shown;
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private void checkpoint() {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write H2's file: " + e.getMessage(), e);
    }
  }

  /** The no-op handler: counts the fire and answers success, without a call. */
  private final class InProcess implements Dispatcher {
    @Override
    public RunOutcome call(DispatchRequest request) {
      executions.executed(indexOf.get(request.scheduleId()));
      return RunOutcome.success(200, "", 0);
    }

    @Override
    public void close() {}
  }
}
