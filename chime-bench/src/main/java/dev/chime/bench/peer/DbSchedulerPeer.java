package dev.chime.bench.peer;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
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
 * instant is not up to the default 10 s late. One one-time task; each job is an instance of it.
 */
final class DbSchedulerPeer implements Peer {
  static final int THREADS = 20;
  static final double LOWER_LIMIT = 4.0;
  static final double UPPER_LIMIT = 20.0;
  static final Duration POLLING_INTERVAL = Duration.ofMillis(100);

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

  private final HikariDataSource dataSource;
  private final OneTimeTask<Void> task;
  private Scheduler scheduler;
  private boolean stopped;

  DbSchedulerPeer(String url, String user, Executions executions) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setMaximumPoolSize(THREADS + 5);
    config.setPoolName("db-scheduler-peer");
    this.dataSource = new HikariDataSource(config);
    this.task =
        Tasks.oneTime("peerbench")
            .execute(
                (instance, context) -> executions.executed(Integer.parseInt(instance.getId())));
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
    scheduler =
        Scheduler.create(dataSource, task)
            .threads(THREADS)
            .pollingInterval(POLLING_INTERVAL)
            .pollUsingLockAndFetch(LOWER_LIMIT, UPPER_LIMIT)
            .shutdownMaxWait(Duration.ofSeconds(30))
            .build();
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
    shown.put("polling_strategy", "lock-and-fetch");
    shown.put("threads", String.valueOf(THREADS));
    shown.put("lower_limit_fraction_of_threads", String.valueOf(LOWER_LIMIT));
    shown.put("upper_limit_fraction_of_threads", String.valueOf(UPPER_LIMIT));
    shown.put("polling_interval_ms", String.valueOf(POLLING_INTERVAL.toMillis()));
    shown.put("db_pool", String.valueOf(THREADS + 5));
    return shown;
  }

  @Override
  public void close() {
    stop();
    dataSource.close();
  }
}
