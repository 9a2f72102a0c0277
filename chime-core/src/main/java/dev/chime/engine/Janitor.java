package dev.chime.engine;

import dev.chime.store.RetentionStore;
import dev.chime.store.RunPartitions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes old run history on one thread: every {@code interval} a pass deletes finished runs past
 * the maximum age, then each schedule's finished runs beyond the maximum count. A pass deletes in
 * batches with a pause between them, so it never holds many locks for long nor keeps the engine's
 * writes waiting; a batch that comes back short ends that part of the pass. Where runs are
 * partitioned by day (PostgreSQL), the age part first drops the days wholly past the maximum age,
 * and deletes row by row only the runs outside every day's partition.
 */
public final class Janitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Janitor.class);
  private static final Duration BATCH_PAUSE = Duration.ofMillis(100);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  /** What one pass deleted: runs by age and by count, one by one, and whole days of runs. */
  public record RetentionPass(int deletedByAge, int deletedByCount, int partitionsDropped) {
    public RetentionPass(int deletedByAge, int deletedByCount) {
      this(deletedByAge, deletedByCount, 0);
    }

    public int deleted() {
      return deletedByAge + deletedByCount;
    }
  }

  private final RetentionStore store;
  private final Clock clock;
  private final RetentionSettings settings;
  private final String nodeId;
  private final Thread thread;
  private final StopSignal stop = new StopSignal();
  private boolean closed;
  private List<String> keptBefore = List.of();

  public Janitor(RetentionStore store, Clock clock, RetentionSettings settings, String nodeId) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.thread =
        Thread.ofPlatform()
            .name("chime-janitor-" + nodeId)
            .daemon(true)
            .uncaughtExceptionHandler((t, e) -> log.error("janitor died; run history grows", e))
            .unstarted(this::runLoop);
  }

  /** Starts the thread; its first pass comes one interval later. */
  public void start() {
    thread.start();
    log.info(
        "janitor {} started: finished runs kept {} and at most {} per schedule,"
            + " checked every {} in batches of {}",
        nodeId,
        readable(settings.maxAge()),
        settings.maxRunsPerSchedule(),
        readable(settings.interval()),
        settings.batchSize());
  }

  /** One pass, on the caller's thread: by age first, then by count. */
  public RetentionPass runOnce() {
    long startNanos = System.nanoTime();
    Instant cutoff = clock.instant().minus(settings.maxAge());
    RunPartitions.Change days = store.dropPartitionsOlderThan(cutoff);
    logPartitions(days, cutoff);
    int byAge = inBatches(() -> store.deleteOlderThan(cutoff, settings.batchSize()));
    int byCount =
        inBatches(() -> store.trimPerSchedule(settings.maxRunsPerSchedule(), settings.batchSize()));
    RetentionPass pass = new RetentionPass(byAge, byCount, days.done().size());
    if (pass.deleted() > 0) {
      log.info(
          "janitor deleted {} run(s) finished before {} and {} beyond {} per schedule in {} ms",
          byAge,
          cutoff,
          byCount,
          settings.maxRunsPerSchedule(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }
    return pass;
  }

  private void logPartitions(RunPartitions.Change days, Instant cutoff) {
    if (!days.done().isEmpty()) {
      log.info(
          "janitor dropped the run partition(s) {}, wholly before {}{}",
          String.join(", ", days.done()),
          cutoff,
          days.runsMoved() > 0
              ? "; " + days.runsMoved() + " run(s) in them finished later and were kept"
              : "");
    }
    if (!days.kept().isEmpty() && !days.kept().equals(keptBefore)) {
      log.info(
          "janitor keeps the run partition(s) {} past the maximum age: they hold queued or"
              + " running runs",
          String.join(", ", days.kept()));
    }
    keptBefore = days.kept();
    if (days.busy()) {
      log.debug("dropping old run partitions gave way to another node or a lock; next pass");
    }
  }

  private int inBatches(IntSupplier batch) {
    int total = 0;
    while (true) {
      int deleted = batch.getAsInt();
      total += deleted;
      if (deleted < settings.batchSize() || !stop.pause(BATCH_PAUSE)) {
        return total;
      }
    }
  }

  private void runLoop() {
    while (stop.pause(settings.interval())) {
      try {
        runOnce();
      } catch (RuntimeException e) {
        log.error("retention pass failed; trying again in {}", readable(settings.interval()), e);
      }
    }
  }

  private static String readable(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  /** Stops the thread, waiting at most a few seconds for a batch in progress. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop.stop();
    try {
      thread.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn(
          "janitor {} still deleting after {}; left to finish its batch",
          nodeId,
          readable(STOP_WAIT));
    } else if (thread.getState() == Thread.State.TERMINATED) {
      log.info("janitor {} stopped", nodeId);
    }
  }
}
