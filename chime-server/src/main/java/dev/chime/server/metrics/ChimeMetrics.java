package dev.chime.server.metrics;

import com.zaxxer.hikari.HikariPoolMXBean;
import dev.chime.engine.Engine;
import dev.chime.engine.EngineObserver;
import dev.chime.engine.NodeHeartbeat;
import dev.chime.run.RunOrigin;
import dev.chime.store.ResultStore.Completion;
import dev.chime.store.StatsStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chime's metrics in Prometheus' text format: what the engine reports as it works (runs ended,
 * skips, claims, result writes), what it holds now (calls in flight, results waiting), the database
 * pool, and counts sampled from the database every {@link #SAMPLE_EVERY} (schedules by state, due
 * work no node holds). Labels are bounded: outcome, tenant, reason; never a schedule.
 */
public final class ChimeMetrics implements EngineObserver, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChimeMetrics.class);
  static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

  /** Buckets of lateness and call duration: 1 ms to 60 s. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer lateness;
  private final Timer claimTime;
  private final DistributionSummary claimSize;
  private final Timer writeTime;
  private final Counter resultsWritten;

  /**
   * Meters by their labels, made once: the result writer reports thousands of runs a second, and
   * building a meter's id (and a timer's buckets) for each would be work on its thread for nothing.
   */
  private final java.util.Map<String, Counter> fires =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.Map<String, Timer> durations =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicReference<StatsStore.Counts> counts =
      new AtomicReference<>(new StatsStore.Counts(0, 0, 0, java.util.Optional.empty()));
  private volatile StatsStore stats;
  private volatile Clock clock;
  private volatile long sampledAtNanos;

  public ChimeMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    lateness =
        Timer.builder("chime.fire.lateness")
            .description(
                "Send time minus scheduled instant, of the first attempt of each scheduled fire")
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    claimTime =
        Timer.builder("chime.claim.duration")
            .description("How long one claim of due work took")
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    claimSize =
        DistributionSummary.builder("chime.claim.size")
            .description("Schedules and queued runs one claim took")
            .serviceLevelObjectives(1, 10, 100, 500, 1000, 5000)
            .register(registry);
    writeTime =
        Timer.builder("chime.results.write.duration")
            .description("How long one write of a batch of run results took")
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    resultsWritten =
        Counter.builder("chime.results.written")
            .description("Run results written to the database")
            .register(registry);
  }

  /** Watches a running node: the engine's queues, the pool, the heartbeat, sampled counts. */
  public void watch(
      Engine engine,
      NodeHeartbeat heartbeat,
      Supplier<HikariPoolMXBean> pool,
      StatsStore stats,
      Clock clock,
      EngineObserver also) {
    engine.observe(EngineObserver.all(this, new RunLog(), also));
    Gauge.builder("chime.runs.in.flight", engine, Engine::callsInFlight)
        .description("Calls under way on this node: armed for their instant, or in flight")
        .register(registry);
    Gauge.builder("chime.results.pending", engine, Engine::resultsPending)
        .description("Run results ended and waiting to be written")
        .register(registry);
    Gauge.builder("chime.work.held", engine, Engine::heldCount)
        .description("Claimed schedules and runs this node holds for their instant")
        .register(registry);
    Gauge.builder("chime.node.heartbeat.age", heartbeat, h -> h.sinceLastBeat().toMillis() / 1000.0)
        .description("Seconds since this node last wrote its heartbeat")
        .baseUnit("seconds")
        .register(registry);
    poolGauge("active", pool, HikariPoolMXBean::getActiveConnections);
    poolGauge("idle", pool, HikariPoolMXBean::getIdleConnections);
    poolGauge("pending", pool, HikariPoolMXBean::getThreadsAwaitingConnection);
    Gauge.builder("chime.schedules", counts, c -> c.get().enabled())
        .description("Schedules, by state (read when scraped)")
        .tag("state", "enabled")
        .register(registry);
    Gauge.builder("chime.schedules", counts, c -> c.get().disabled())
        .description("Schedules, by state (read when scraped)")
        .tag("state", "disabled")
        .register(registry);
    Gauge.builder("chime.due.backlog", counts, c -> c.get().dueUnclaimed())
        .description("Enabled schedules due now that no node holds (read when scraped)")
        .register(registry);
    Gauge.builder(
            "chime.due.backlog.age",
            counts,
            c ->
                c.get()
                    .oldestDue()
                    .map(
                        at ->
                            Math.max(0, Duration.between(at, clock.instant()).toMillis()) / 1000.0)
                    .orElse(0.0))
        .description("How long the oldest due, unheld schedule has waited (read when scraped)")
        .baseUnit("seconds")
        .register(registry);
    this.stats = stats;
    this.clock = clock;
  }

  private void poolGauge(
      String state,
      Supplier<HikariPoolMXBean> pool,
      java.util.function.ToIntFunction<HikariPoolMXBean> read) {
    Gauge.builder(
            "chime.db.pool.connections", pool, p -> p.get() == null ? 0 : read.applyAsInt(p.get()))
        .description("Database connections of this node's pool, by state")
        .tag("state", state)
        // Micrometer holds a gauge's object weakly: nothing else holds this supplier, and after a
        // garbage collection the gauge would read NaN
        .strongReference(true)
        .register(registry);
  }

  /** Reads the counts again when the last read is older than {@link #SAMPLE_EVERY}. */
  private void sample() {
    long now = System.nanoTime();
    if (stats == null || (sampledAtNanos != 0 && now - sampledAtNanos < SAMPLE_EVERY.toNanos())) {
      return;
    }
    sampledAtNanos = now;
    try {
      counts.set(stats.counts(clock.instant()));
    } catch (RuntimeException e) {
      log.debug("metrics: counts not read ({}); the last ones stay", e.getMessage());
    }
  }

  @Override
  public void ended(List<Completion> completions) {
    for (Completion completion : completions) {
      String outcome = completion.outcome().status().wireName();
      fires
          .computeIfAbsent(
              outcome + "\n" + completion.run().tenantId(),
              key ->
                  Counter.builder("chime.fires")
                      .description("Calls that ended and are on record, by outcome and tenant")
                      .tag("outcome", outcome)
                      .tag("tenant", completion.run().tenantId())
                      .register(registry))
          .increment();
      durations
          .computeIfAbsent(
              outcome,
              key ->
                  Timer.builder("chime.call.duration")
                      .description("How long calls to targets took, by outcome")
                      .tag("outcome", outcome)
                      .serviceLevelObjectives(BUCKETS)
                      .register(registry))
          .record(Duration.ofMillis(completion.outcome().durationMs()));
      if (completion.run().attempt() == 1 && completion.run().origin() == RunOrigin.SCHEDULE) {
        Duration late = Duration.between(completion.run().scheduledAt(), completion.startedAt());
        lateness.record(late.isNegative() ? Duration.ZERO : late);
      }
    }
  }

  @Override
  public void skipped(String tenantId, String reason) {
    Counter.builder("chime.skipped")
        .description("Scheduled instants recorded as skipped, by reason (overlap, missed)")
        .tag("reason", reason)
        .tag("tenant", tenantId)
        .register(registry)
        .increment();
  }

  @Override
  public void claimed(int schedules, int runs, long nanos) {
    claimTime.record(nanos, TimeUnit.NANOSECONDS);
    claimSize.record(schedules + runs);
  }

  @Override
  public void resultsWritten(int results, long nanos) {
    writeTime.record(nanos, TimeUnit.NANOSECONDS);
    resultsWritten.increment(results);
  }

  /** The metrics in Prometheus' text exposition format. */
  public String scrape() {
    sample();
    return registry.scrape();
  }

  @Override
  public void close() {
    registry.close();
  }
}
