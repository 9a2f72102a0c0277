package dev.chime.engine;

import dev.chime.store.RunPartitions;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the daily partitions of {@code runs} ahead of time on PostgreSQL, so that a run always
 * lands in its day's partition rather than the default one: at start and then every {@link
 * #CHECK_EVERY}, today and the {@link #DAYS_AHEAD} days after it (UTC, by this node's clock). A
 * check that finds every day there costs one read of the catalog. Every node runs one; they agree
 * through the database (see {@link RunPartitions}), so any of them may make a day. Dropping old
 * days is the {@link Janitor}'s.
 */
public final class PartitionKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PartitionKeeper.class);

  /** How far ahead days are made: a week of nodes that cannot make them before runs miss them. */
  public static final int DAYS_AHEAD = 7;

  static final Duration CHECK_EVERY = Duration.ofMinutes(1);

  private final RunPartitions partitions;
  private final Clock clock;
  private final Thread thread;
  private final StopSignal stop = new StopSignal();

  private PartitionKeeper(RunPartitions partitions, Clock clock, String nodeId) {
    this.partitions = partitions;
    this.clock = clock;
    this.thread =
        Thread.ofPlatform()
            .name("chime-partitions-" + nodeId)
            .daemon(true)
            .uncaughtExceptionHandler((t, e) -> log.error("partition keeper died", e))
            .unstarted(this::runLoop);
  }

  /** A keeper, not yet started, or none where {@code runs} is not partitioned. */
  public static Optional<PartitionKeeper> create(
      RunPartitions partitions, Clock clock, String nodeId) {
    Objects.requireNonNull(clock, "clock");
    if (!partitions.active()) {
      return Optional.empty();
    }
    return Optional.of(new PartitionKeeper(partitions, clock, nodeId));
  }

  public void start() {
    thread.start();
  }

  /** One check on the caller's thread: makes the days from today to {@link #DAYS_AHEAD} ahead. */
  public RunPartitions.Change runOnce() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    RunPartitions.Change change = partitions.createAhead(today, DAYS_AHEAD);
    if (!change.done().isEmpty()) {
      log.info(
          "made the run partition(s) {}{}",
          String.join(", ", change.done()),
          change.runsMoved() > 0
              ? ", moving " + change.runsMoved() + " run(s) of those days out of the default one"
              : "");
    }
    return change;
  }

  private void runLoop() {
    boolean failing = false;
    do {
      try {
        RunPartitions.Change change = runOnce();
        if (failing && !change.busy()) {
          log.info("making run partitions works again");
          failing = false;
        }
      } catch (RuntimeException e) {
        if (!failing) {
          log.warn("cannot make run partitions ahead; trying again every {}", CHECK_EVERY, e);
          failing = true;
        }
      }
    } while (stop.pause(CHECK_EVERY));
  }

  /** Stops the thread, waiting at most a few seconds for a change under way. Idempotent. */
  @Override
  public void close() {
    stop.stopAndAwait(thread, Duration.ofSeconds(5));
  }
}
