package dev.chime.bench.peer;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * db-scheduler on PostgreSQL with the {@code lock-and-fetch} polling strategy ({@code SELECT ...
 * FOR UPDATE SKIP LOCKED}), tuned as its README advises for high throughput: the configuration of
 * its own benchmark table that did best with lock-and-fetch (20 threads, lower limit 4.0, upper
 * limit 20.0 of the threads), and a 100 ms polling interval so that the first poll after the due
 * instant is not up to the default 10 s late; or ({@link Tuning#SHIPPED}) with its builder's
 * defaults. One one-time task, each job an instance of it; for steady loads one task that
 * reschedules itself at a fixed rate, each job an instance.
 */
final class DbSchedulerPeer implements Peer {
  enum Tuning {
    /** lock-and-fetch, 20 threads, limits 4.0 and 20.0, polling every 100 ms. */
    TUNED(20, Duration.ofMillis(100)),
    /**
     * Its builder's defaults: 10 threads, polling every 10 s with fetch-and-lock-on-execute (limits
     * 0.5 and 3.0 of the threads).
     */
    SHIPPED(10, SchedulerBuilder.DEFAULT_POLLING_INTERVAL);

    final int threads;
    final Duration pollingInterval;

    Tuning(int threads, Duration pollingInterval) {
      this.threads = threads;
      this.pollingInterval = pollingInterval;
    }
  }

  static final double LOWER_LIMIT = 4.0;
  static final double UPPER_LIMIT = 20.0;

  /** The table of db-scheduler 16 on PostgreSQL, as its documentation gives it. */
  private static final String[] SCHEMA = {
    "CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL,"
        + " task_data BYTEA, execution_time TIMESTAMP WITH TIME ZONE NOT NULL,"
        + " picked BOOLEAN NOT NULL, picked_by TEXT, last_success TIMESTAMP WITH TIME ZONE,"
        + " last_failure TIMESTAMP WITH TIME ZONE, consecutive_failures INT,"
        + " last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL, priority SMALLINT,"
        + " PRIMARY KEY (task_name, task_instance))",
    "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
    "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
    "CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)"
  };

  private final Tuning tuning;
  private final HikariDataSource dataSource;
  private final OneTimeTask<Void> task;
  private final CustomTask<Void> steady;
  private volatile Duration steadyInterval = Duration.ofSeconds(1);
  private Scheduler scheduler;
  private boolean stopped;

  DbSchedulerPeer(String url, String user, Executions executions, Tuning tuning) {
    this.tuning = tuning;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setMaximumPoolSize(tuning.threads + 5);
    config.setPoolName("db-scheduler-peer");
    this.dataSource = new HikariDataSource(config);
    this.task =
        Tasks.oneTime("peerbench")
            .execute(
                (instance, context) ->
                    executions.executed(
                        Integer.parseInt(instance.getId()),
                        context.getExecution().getExecutionTime()));
    // fixed rate: the next instant counts from this one's, not from when it ran (db-scheduler's
    // FixedDelay counts from completion, and so would drift by every fire's lateness)
    this.steady =
        Tasks.custom("peerbench-steady", Void.class)
            .execute(
                (instance, context) -> {
                  Instant at = context.getExecution().getExecutionTime();
                  executions.executed(Integer.parseInt(instance.getId()), at);
                  return (complete, operations) ->
                      operations.reschedule(complete, at.plus(steadyInterval));
                });
  }

  @Override
  public void start() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : SCHEMA) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot make db-scheduler's table: " + e.getMessage(), e);
    }
    SchedulerBuilder builder =
        Scheduler.create(dataSource, task, steady).shutdownMaxWait(Duration.ofSeconds(30));
    if (tuning == Tuning.TUNED) {
      builder
          .threads(tuning.threads)
          .pollingInterval(tuning.pollingInterval)
          .pollUsingLockAndFetch(LOWER_LIMIT, UPPER_LIMIT);
    }
    scheduler = builder.build();
    scheduler.start();
  }

  @Override
  public void register(int jobs, Instant dueAt) {
    for (int from = 0; from < jobs; from += 1000) {
      List<TaskInstance<?>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(jobs, from + 1000); i++) {
        batch.add(task.instance(String.valueOf(i)));
      }
      scheduler.scheduleBatch(batch, dueAt);
    }
  }

  @Override
  public void registerSteady(SteadyLoad load) {
    steadyInterval = load.interval();
    for (int from = 0; from < load.jobs(); from += 1000) {
      List<SchedulableInstance<?>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(load.jobs(), from + 1000); i++) {
        batch.add(SchedulableInstance.of(steady.instance(String.valueOf(i)), load.firstOf(i)));
      }
      scheduler.scheduleBatch(batch);
    }
  }

  @Override
  public void stop() {
    if (scheduler != null && !stopped) {
      stopped = true;
      scheduler.stop();
    }
  }

  /** One-time executions are deleted when they complete: none should be left. */
  @Override
  public Map<String, Long> check() {
    Map<String, Long> found = new LinkedHashMap<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE picked) FROM scheduled_tasks")) {
      rows.next();
      found.put("executions_left", rows.getLong(1));
      found.put("executions_left_picked", rows.getLong(2));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read db-scheduler's table: " + e.getMessage(), e);
    }
    return found;
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> shown = new LinkedHashMap<>();
    boolean tuned = tuning == Tuning.TUNED;
    shown.put("polling_strategy", tuned ? "lock-and-fetch" : "fetch-and-lock-on-execute");
    shown.put("threads", String.valueOf(tuning.threads));
    shown.put("lower_limit_fraction_of_threads", tuned ? String.valueOf(LOWER_LIMIT) : "0.5");
    shown.put("upper_limit_fraction_of_threads", tuned ? String.valueOf(UPPER_LIMIT) : "3.0");
    shown.put("polling_interval_ms", String.valueOf(tuning.pollingInterval.toMillis()));
    shown.put("db_pool", String.valueOf(tuning.threads + 5));
    return shown;
  }

  @Override
  public void close() {
    stop();
    dataSource.close();
  }
}
