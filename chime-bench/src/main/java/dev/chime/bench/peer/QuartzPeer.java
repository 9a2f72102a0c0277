package dev.chime.bench.peer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz with its JDBC job store ({@code JobStoreTX}, PostgreSQL delegate, clustered), its tables
 * made from the script shipped in the Quartz jar. {@link Tuning#TUNED} acquires triggers in batches
 * as Quartz's configuration reference describes for many triggers firing at once; {@link
 * Tuning#SHIPPED} keeps Quartz's defaults (one trigger per acquisition, 10 threads). One durable
 * job; each job of the round is a simple trigger of it that fires once.
 */
final class QuartzPeer implements Peer {
  enum Tuning {
    /** 30 threads, up to 30 triggers acquired at once, within the trigger lock. */
    TUNED(30, 30, 600_000),
    /** The shipped defaults: 10 threads, one trigger per acquisition, a 60 s misfire threshold. */
    SHIPPED(10, 1, 60_000);

    final int threads;
    final int batchMax;
    final long misfireThresholdMs;

    Tuning(int threads, int batchMax, long misfireThresholdMs) {
      this.threads = threads;
      this.batchMax = batchMax;
      this.misfireThresholdMs = misfireThresholdMs;
    }
  }

  private static final String EXECUTIONS = "peerbench.executions";

  private final Tuning tuning;
  private final HikariDataSource dataSource;
  private final String dataSourceName = "peerbench-" + UUID.randomUUID();
  private final Executions executions;
  private final JobDetail job =
      JobBuilder.newJob(NoOpJob.class).withIdentity("peerbench").storeDurably().build();
  private Scheduler scheduler;

  QuartzPeer(String url, String user, Executions executions, Tuning tuning) {
    this.tuning = tuning;
    this.executions = executions;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    // Quartz's own pool holds 10 connections by default; tuned, a few more than its threads
    config.setMaximumPoolSize(tuning == Tuning.SHIPPED ? 10 : tuning.threads + 5);
    config.setPoolName("quartz-peer");
    this.dataSource = new HikariDataSource(config);
  }

  @Override
  public void start() {
    createTables();
    DBConnectionManager.getInstance()
        .addConnectionProvider(
            dataSourceName,
            new ConnectionProvider() {
              @Override
              public Connection getConnection() throws SQLException {
                return dataSource.getConnection();
              }

              @Override
              public void shutdown() {}

              @Override
              public void initialize() {}
            });
    try {
      scheduler = new StdSchedulerFactory(properties()).getScheduler();
      scheduler.getContext().put(EXECUTIONS, executions);
      scheduler.addJob(job, false);
      scheduler.start();
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot start Quartz: " + e.getMessage(), e);
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", dataSourceName);
    p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(tuning.threads));
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass",
        "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty(
        "org.quartz.jobStore.misfireThreshold", String.valueOf(tuning.misfireThresholdMs));
    if (tuning.batchMax > 1) {
      p.setProperty(
          "org.quartz.scheduler.batchTriggerAcquisitionMaxCount", String.valueOf(tuning.batchMax));
      // required with batches on a JDBC store, says the configuration reference
      p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
      // 0 (the default): a wider window would fire triggers before their instant
      p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionFireAheadTimeWindow", "0");
    }
    return p;
  }

  /** Runs {@code tables_postgres.sql} from the Quartz jar, statement by statement. */
  private void createTables() {
    String script;
    try (InputStream in =
        Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/tables_postgres.sql")) {
      if (in == null) {
        throw new IllegalStateException("tables_postgres.sql is not in the Quartz jar");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read Quartz's table script", e);
    }
    StringBuilder code = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--") && !line.strip().startsWith("#")) {
        code.append(line).append('\n');
      }
    }
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : code.toString().split(";")) {
        String trimmed = sql.strip();
        if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("COMMIT")) {
          statement.execute(trimmed);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot make Quartz's tables: " + e.getMessage(), e);
    }
  }

  /** Triggers of the one durable job, 1000 to a call (and to a transaction). */
  @Override
  public void register(int jobs, Instant dueAt) {
    Date at = Date.from(dueAt);
    try {
      for (int from = 0; from < jobs; from += 1000) {
        Set<Trigger> triggers = new HashSet<>();
        for (int i = from; i < Math.min(jobs, from + 1000); i++) {
          triggers.add(
              TriggerBuilder.newTrigger()
                  .withIdentity(String.valueOf(i))
                  .forJob(job)
                  .startAt(at)
                  .withSchedule(SimpleScheduleBuilder.simpleSchedule())
                  .build());
        }
        scheduler.scheduleJobs(Map.of(job, triggers), true);
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot schedule Quartz's triggers: " + e.getMessage(), e);
    }
  }

  /** One trigger a job, repeating every interval for ever from the job's first instant. */
  @Override
  public void registerSteady(SteadyLoad load) {
    try {
      for (int from = 0; from < load.jobs(); from += 1000) {
        Set<Trigger> triggers = new HashSet<>();
        for (int i = from; i < Math.min(load.jobs(), from + 1000); i++) {
          triggers.add(
              TriggerBuilder.newTrigger()
                  .withIdentity(String.valueOf(i))
                  .forJob(job)
                  .startAt(Date.from(load.firstOf(i)))
                  .withSchedule(
                      SimpleScheduleBuilder.simpleSchedule()
                          .withIntervalInMilliseconds(load.interval().toMillis())
                          .repeatForever())
                  .build());
        }
        scheduler.scheduleJobs(Map.of(job, triggers), true);
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot schedule Quartz's triggers: " + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    try {
      if (scheduler != null && !scheduler.isShutdown()) {
        scheduler.shutdown(true);
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot stop Quartz: " + e.getMessage(), e);
    }
  }

  /** A trigger that fired its once is deleted; none should be left, nor any fired trigger. */
  @Override
  public Map<String, Long> check() {
    Map<String, Long> found = new LinkedHashMap<>();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM qrtz_triggers")) {
        rows.next();
        found.put("triggers_left", rows.getLong(1));
      }
      try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM qrtz_fired_triggers")) {
        rows.next();
        found.put("fired_triggers_left", rows.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read Quartz's tables: " + e.getMessage(), e);
    }
    return found;
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("job_store", "JobStoreTX, PostgreSQLDelegate, clustered");
    shown.put("thread_count", String.valueOf(tuning.threads));
    shown.put("batch_trigger_acquisition_max_count", String.valueOf(tuning.batchMax));
    shown.put("acquire_triggers_within_lock", String.valueOf(tuning.batchMax > 1));
    shown.put("batch_trigger_acquisition_fire_ahead_time_window_ms", "0");
    shown.put("misfire_threshold_ms", String.valueOf(tuning.misfireThresholdMs));
    shown.put("db_pool", String.valueOf(dataSource.getMaximumPoolSize()));
    return shown;
  }

  @Override
  public void close() {
    stop();
    dataSource.close();
  }

  /** The no-op job: counts the execution of the trigger that fired it. */
  public static final class NoOpJob implements Job {
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      try {
        ((Executions) context.getScheduler().getContext().get(EXECUTIONS))
            .executed(
                Integer.parseInt(context.getTrigger().getKey().getName()),
                context.getScheduledFireTime().toInstant());
      } catch (SchedulerException e) {
        throw new JobExecutionException(e);
      }
    }
  }
}
