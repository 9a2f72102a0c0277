package dev.chime.engine;

import dev.chime.store.ResultStore;
import dev.chime.store.ResultStore.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes finished calls to the database from one thread, many to a transaction: under load the
 * completions that arrive while one batch is written share the next one. A batch that fails is kept
 * and written again, so a database outage delays results but does not drop them.
 */
final class CompletionWriter {
  private static final Logger log = LoggerFactory.getLogger(CompletionWriter.class);

  private final ResultStore store;
  private final int batchSize;
  private final LinkedBlockingQueue<Completion> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean stopping;

  CompletionWriter(ResultStore store, int batchSize, String nodeId) {
    this.store = store;
    this.batchSize = batchSize;
    this.thread =
        Thread.ofPlatform()
            .name("chime-writer-" + nodeId)
            .daemon(true)
            .uncaughtExceptionHandler(
                (t, e) -> log.error("completion writer died; results are no longer saved", e))
            .unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  void submit(Completion completion) {
    queue.add(completion);
  }

  private void run() {
    List<Completion> batch = new ArrayList<>(batchSize);
    int failures = 0;
    while (true) {
      try {
        if (batch.isEmpty()) {
          Completion first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (stopping) {
              break;
            }
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, batchSize - 1);
        }
        store.complete(batch);
        batch.clear();
        failures = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        failures++;
        log.warn(
            "cannot write {} run result(s), attempt {}; will try again: {}",
            batch.size(),
            failures,
            e.getMessage());
        if (stopping && failures >= 3) {
          break;
        }
        LockSupport.parkNanos(
            TimeUnit.MILLISECONDS.toNanos(Math.min(5_000L, 100L << Math.min(failures, 6))));
      }
    }
    if (!batch.isEmpty() || !queue.isEmpty()) {
      log.error(
          "stopped with {} run result(s) unwritten; those runs stay 'running' until they time out",
          batch.size() + queue.size());
    }
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
