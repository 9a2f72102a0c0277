package dev.chime.engine;

import dev.chime.run.RunOutcome;
import dev.chime.store.ResultStore;
import dev.chime.store.ResultStore.Completion;
import dev.chime.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes finished calls to the database from one thread, many to a transaction: it waits up to
 * {@code linger} for a batch to fill, so a steady trickle of results costs a few commits a second,
 * not one per call. A batch the database refuses is split until the result it refuses is found;
 * that one is written without its answer text and messages, and dropped only if even that fails, so
 * one bad result never holds back the others. While the database is unreachable nothing is dropped:
 * the batch waits and is written again.
 */
final class CompletionWriter {
  private static final Logger log = LoggerFactory.getLogger(CompletionWriter.class);

  /** How long writes may fail before the node reports itself unready. */
  private static final long UNHEALTHY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final ResultStore store;
  private final int batchSize;
  private final long lingerNanos;
  private final Consumer<List<Completion>> written;
  private final BooleanSupplier databaseUp;
  private final LinkedBlockingQueue<Completion> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile int inBatch;
  private volatile long failingSinceNanos;
  private volatile String lastError = "";

  CompletionWriter(
      ResultStore store,
      int batchSize,
      Duration linger,
      String nodeId,
      Consumer<List<Completion>> written,
      BooleanSupplier databaseUp) {
    this.store = store;
    this.batchSize = batchSize;
    this.lingerNanos = linger.toNanos();
    this.written = written;
    this.databaseUp = databaseUp;
    this.thread =
        Thread.ofPlatform()
            .name("chime-writer-" + nodeId)
            .daemon(true)
            .uncaughtExceptionHandler(
                (t, e) -> log.error("result writer died; results are no longer saved", e))
            .unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  private volatile EngineObserver observer = EngineObserver.NONE;

  void observe(EngineObserver value) {
    observer = value;
  }

  void submit(Completion completion) {
    queue.add(completion);
  }

  /** Results waiting to be written, queued or in the batch being written. */
  int pending() {
    return queue.size() + inBatch;
  }

  /** Why results are not being written, when they are not. */
  Optional<String> problem() {
    if (!thread.isAlive() && !stopping) {
      return Optional.of("the result writer has stopped");
    }
    long since = failingSinceNanos;
    if (since != 0 && System.nanoTime() - since > UNHEALTHY_AFTER_NANOS) {
      return Optional.of(
          "results not written for "
              + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since)
              + " s ("
              + pending()
              + " waiting): "
              + lastError);
    }
    return Optional.empty();
  }

  private void run() {
    List<Completion> batch = new ArrayList<>(batchSize);
    int failures = 0;
    while (true) {
      try {
        if (batch.isEmpty() && !fill(batch)) {
          if (stopping && queue.isEmpty()) {
            break;
          }
          continue;
        }
        inBatch = batch.size();
        long started = System.nanoTime();
        writeAll(batch);
        observer.resultsWritten(batch.size(), System.nanoTime() - started);
        batch.clear();
        inBatch = 0;
        failures = 0;
        failingSinceNanos = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Throwable e) {
        failures++;
        if (failingSinceNanos == 0) {
          failingSinceNanos = System.nanoTime();
        }
        lastError = String.valueOf(e.getMessage());
        if (failures == 1 || !(e instanceof StoreException store && store.connectionLost())) {
          log.warn(
              "cannot write {} run result(s), attempt {}; will try again: {}",
              batch.size(),
              failures,
              e.getMessage());
        }
        if (stopping && failures >= 3) {
          break;
        }
        LockSupport.parkNanos(
            TimeUnit.MILLISECONDS.toNanos(Math.min(5_000L, 50L << Math.min(failures, 7))));
      }
    }
    if (!batch.isEmpty() || !queue.isEmpty()) {
      log.error(
          "stopped with {} run result(s) unwritten; those runs stay 'running' until they time out",
          batch.size() + queue.size());
    }
  }

  /** Takes what is queued, waiting up to {@code linger} for a fuller batch; false if none came. */
  private boolean fill(List<Completion> batch) throws InterruptedException {
    Completion first = queue.poll(100, TimeUnit.MILLISECONDS);
    if (first == null) {
      return false;
    }
    batch.add(first);
    queue.drainTo(batch, batchSize - batch.size());
    long until = System.nanoTime() + lingerNanos;
    while (batch.size() < batchSize && !stopping) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Completion next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      batch.add(next);
      queue.drainTo(batch, batchSize - batch.size());
    }
    return true;
  }

  /**
   * Writes {@code part}, splitting it to isolate a result the database refuses. Throws when the
   * database cannot be reached; the caller then writes the whole batch again, which is harmless:
   * closing a run that is no longer running changes nothing.
   */
  private void writeAll(List<Completion> part) {
    try {
      store.complete(part);
      written.accept(List.copyOf(part));
    } catch (RuntimeException e) {
      if (outOfReach(e)) {
        throw e;
      }
      // a refusal comes back; a connection cut at an unlucky moment does not
      try {
        store.complete(part);
        written.accept(List.copyOf(part));
        return;
      } catch (RuntimeException again) {
        if (outOfReach(again)) {
          throw again;
        }
      }
      if (part.size() == 1) {
        writeAlone(part.get(0), e);
        return;
      }
      log.warn("the database refused a batch of {} result(s); isolating the bad one", part.size());
      int half = part.size() / 2;
      writeAll(part.subList(0, half));
      writeAll(part.subList(half, part.size()));
    }
  }

  /** One result the database refused: written without its free text, or given up. */
  private void writeAlone(Completion completion, RuntimeException refusal) {
    RunOutcome outcome = completion.outcome();
    String reason = "Chime could not store this run's full result (" + briefly(refusal) + ")";
    RunOutcome bare =
        new RunOutcome(
            outcome.status(),
            outcome.httpStatus(),
            outcome.errorCode(),
            Optional.of(reason),
            Optional.empty(),
            outcome.durationMs(),
            outcome.retryAfter(),
            Optional.empty());
    Completion stripped =
        new Completion(
            completion.run(),
            bare,
            completion.startedAt(),
            completion.finishedAt(),
            completion.asyncDeadline());
    try {
      store.complete(List.of(stripped));
      log.warn(
          "run {}: its result was written without the target's answer, which the database"
              + " refused: {}",
          completion.run().runId(),
          refusal.getMessage());
    } catch (RuntimeException e) {
      if (outOfReach(e)) {
        throw e;
      }
      log.error(
          "run {}: the database refuses its result even without the answer text; giving it up"
              + " (the run ends at its deadline): {}",
          completion.run().runId(),
          e.getMessage());
    }
    written.accept(List.of(completion));
  }

  /** The database could not be reached (so nothing it was sent was refused). */
  private boolean outOfReach(RuntimeException e) {
    return (e instanceof StoreException store && store.connectionLost())
        || !databaseUp.getAsBoolean();
  }

  /** The database's own words, without the statement a driver may quote before them. */
  private static String briefly(RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    int error = message.lastIndexOf("ERROR: ");
    String brief = error >= 0 ? message.substring(error + 7) : message;
    return brief.length() > 300 ? brief.substring(0, 300) + "..." : brief;
  }

  /** Writes what is queued, then stops; waits at most {@code timeoutMillis}. */
  void stop(long timeoutMillis) {
    stopping = true;
    try {
      thread.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }
}
