package dev.chime.bench.peer;

import dev.chime.dispatch.DispatchRequest;
import dev.chime.dispatch.Dispatcher;
import dev.chime.engine.Engine;
import dev.chime.engine.EngineSettings;
import dev.chime.engine.TableVacuum;
import dev.chime.engine.WakeUpListener;
import dev.chime.run.RunOutcome;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.IntervalTrigger;
import dev.chime.schedule.OnceTrigger;
import dev.chime.schedule.RunPolicy;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.schedule.Trigger;
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

/**
 * Chime's engine embedded as a library, from chime-core alone: the engine on its store, with a
 * dispatcher that answers success at once in this process instead of calling a target over HTTP.
 * Every setting is the node's default. On the embedded H2 each start transaction is written to the
 * file before its calls go out ({@code CHECKPOINT}), as a Chime node does; on PostgreSQL a {@link
 * WakeUpListener} wakes the engine on every change, as on a node.
 */
final class ChimePeer implements Peer {
  static final Duration LOOKAHEAD = Duration.ofSeconds(2);
  private static final URI NOWHERE = URI.create("http://127.0.0.1:9/peerbench");
  private static final String PAYLOAD_HEAD = "{\"i\":";

  private final String url;
  private final String user;
  private final Executions executions;
  private final boolean runsEngine;
  private final boolean vacuums;
  private final EngineSettings settings =
      new EngineSettings(
          "peerbench",
          Duration.ofMillis(500),
          LOOKAHEAD,
          Duration.ofSeconds(30),
          250,
          Duration.ofSeconds(5),
          NOWHERE,
          20,
          50,
          Duration.ofMillis(500),
          Duration.ofMillis(50),
          64);
  private Database db;
  private Optional<Engine> engine = Optional.empty();
  private Optional<WakeUpListener> wakeUps = Optional.empty();
  private Optional<TableVacuum> vacuum = Optional.empty();

  ChimePeer(String url, String user, Executions executions) {
    this(url, user, executions, true, false);
  }

  /**
   * A node on {@code url}; without {@code runsEngine} one that only writes schedules, as a node
   * whose engine is off (or busy elsewhere) leaves the firing to the others. With {@code vacuums}
   * it vacuums its tables where the server's autovacuum is off, as a node does ({@link
   * TableVacuum.Mode#AUTO}): a steady load updates every schedule row every interval.
   */
  ChimePeer(String url, String user, Executions executions, boolean runsEngine, boolean vacuums) {
    this.url = url;
    this.user = user;
    this.executions = executions;
    this.runsEngine = runsEngine;
    this.vacuums = vacuums;
  }

  @Override
  public void start() {
    db = Database.open(new DatabaseSettings(url, user, "", 10, Duration.ofSeconds(10)));
    if (!runsEngine) {
      return;
    }
    Runnable startsDurable = db.dialect() == Dialect.H2 ? this::checkpoint : () -> {};
    Engine started =
        new Engine(
            new EngineStore(db), new InProcess(), Clock.systemUTC(), settings, startsDurable);
    started.start();
    engine = Optional.of(started);
    // on PostgreSQL a node's engine is woken by every change's NOTIFY, as ChimeNode wires it
    WakeUpListener listener = new WakeUpListener(db, settings.nodeId(), started::wake);
    listener.start();
    wakeUps = Optional.of(listener);
    if (vacuums) {
      vacuum = TableVacuum.create(db, TableVacuum.Mode.AUTO, settings.nodeId());
      vacuum.ifPresent(TableVacuum::start);
    }
  }

  @Override
  public void register(int jobs, Instant dueAt) {
    Instant now = Instant.now();
    List<Schedule> schedules = new ArrayList<>(jobs);
    for (int i = 0; i < jobs; i++) {
      schedules.add(schedule(i, new OnceTrigger(dueAt), dueAt, now));
    }
    new ScheduleStore(db).insertAll(schedules);
    engine.ifPresent(Engine::wake);
  }

  @Override
  public void registerSteady(SteadyLoad load) {
    Instant now = Instant.now();
    IntervalTrigger every = new IntervalTrigger(load.interval());
    List<Schedule> schedules = new ArrayList<>(load.jobs());
    for (int i = 0; i < load.jobs(); i++) {
      schedules.add(schedule(i, every, load.firstOf(i), now));
    }
    new ScheduleStore(db).insertAll(schedules);
    engine.ifPresent(Engine::wake);
  }

  /**
   * Creates job {@code i} to fire once at {@code at}, one schedule in its own transaction as the
   * API's create does: its {@code NOTIFY} wakes every node's engine, this one's too.
   */
  void createOnce(int i, Instant at) {
    new ScheduleStore(db).insert(schedule(i, new OnceTrigger(at), at, Instant.now()));
  }

  /** Job {@code i}'s schedule; the handler reads {@code i} back from its payload. */
  private static Schedule schedule(int i, Trigger trigger, Instant first, Instant now) {
    ScheduleSpec spec =
        new ScheduleSpec(
            "peerbench-" + i + "-" + first.toEpochMilli(),
            "",
            true,
            trigger,
            new HttpTarget("POST", NOWHERE, Map.of(), Duration.ofSeconds(10), Duration.ofHours(1)),
            PAYLOAD_HEAD + i + "}",
            RunPolicy.DEFAULTS);
    return new Schedule(
        UUID.randomUUID(),
        "default",
        spec,
        Optional.of(first),
        Optional.empty(),
        now,
        now,
        Schedule.Health.NEW);
  }

  /** Waits until every result is written (the engine is quiet), then stops the engine. */
  @Override
  public void stop() {
    wakeUps.ifPresent(WakeUpListener::close);
    vacuum.ifPresent(TableVacuum::close);
    if (engine.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!engine.get().isQuiet() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    engine.get().close();
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
    shown.put("vacuum", vacuums ? "auto (as a node: VACUUM where autovacuum is off)" : "none");
    return shown;
  }

  @Override
  public void close() {
    wakeUps.ifPresent(WakeUpListener::close);
    vacuum.ifPresent(TableVacuum::close);
    engine.ifPresent(Engine::close);
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
      String payload = request.payloadJson();
      executions.executed(
          Integer.parseInt(payload.substring(PAYLOAD_HEAD.length(), payload.length() - 1)),
          request.scheduledAt());
      return RunOutcome.success(200, "", 0);
    }

    @Override
    public void close() {}
  }
}
