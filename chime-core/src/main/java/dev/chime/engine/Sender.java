package dev.chime.engine;

import dev.chime.dispatch.DispatchRequest;
import dev.chime.dispatch.Dispatcher;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.store.ResultStore.Completion;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the calls the engine started, each on its own virtual thread, and hands their ends to the
 * result writer. A tenant has at most its {@code tenantMaxRunning} calls under way on this node,
 * and a target host at most {@code perHost}; calls beyond wait their turn in the order they were
 * sent, so a burst goes out as fast as the targets answer, oldest first, without opening thousands
 * of connections to one host at once.
 */
final class Sender {
  private static final Logger log = LoggerFactory.getLogger(Sender.class);

  private final Dispatcher dispatcher;
  private final Clock clock;
  private final Flights flights;
  private final CompletionWriter writer;
  private final ToIntFunction<String> tenantMaxRunning;
  private final int perHost;
  private final ExecutorService calls =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("chime-fire-", 0).factory());
  private final ConcurrentHashMap<String, Permits> permits = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Semaphore> hosts = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();

  Sender(
      Dispatcher dispatcher,
      Clock clock,
      Flights flights,
      CompletionWriter writer,
      ToIntFunction<String> tenantMaxRunning,
      int perHost) {
    this.dispatcher = dispatcher;
    this.perHost = perHost;
    this.clock = clock;
    this.flights = flights;
    this.writer = writer;
    this.tenantMaxRunning = tenantMaxRunning;
  }

  private record Permits(int size, Semaphore semaphore) {
    Permits(int size) {
      this(size, new Semaphore(size, true));
    }
  }

  /** Calls sent since start. */
  long sent() {
    return sent.get();
  }

  void send(FirePlanner.Call call) {
    DispatchRequest request = call.request();
    int limit = tenantMaxRunning.applyAsInt(call.ref().tenantId());
    // a tenant whose limit changed gets new permits; calls holding the old ones give them back
    Semaphore tenant =
        permits
            .compute(
                call.ref().tenantId(),
                (t, old) -> old != null && old.size() == limit ? old : new Permits(limit))
            .semaphore();
    URI url = request.target().url();
    Semaphore host =
        hosts.computeIfAbsent(
            url.getScheme() + "://" + url.getAuthority(), h -> new Semaphore(perHost, true));
    sent.incrementAndGet();
    FutureTask<Void> task =
        new FutureTask<>(
            () -> {
              RunOutcome outcome;
              Instant startedAt = clock.instant();
              long startedNanos = System.nanoTime();
              try {
                tenant.acquire();
                try {
                  host.acquire();
                  try {
                    startedAt = clock.instant();
                    startedNanos = System.nanoTime();
                    outcome = dispatcher.call(request);
                  } finally {
                    host.release();
                  }
                } finally {
                  tenant.release();
                }
              } catch (InterruptedException e) {
                outcome =
                    RunOutcome.failure(
                        RunStatus.FAILED,
                        OptionalInt.empty(),
                        "shutdown",
                        "Chime stopped the call before the target answered",
                        null,
                        millisSince(startedNanos));
              } catch (RuntimeException e) {
                log.error("dispatch of run {} failed unexpectedly", request.runId(), e);
                outcome =
                    RunOutcome.failure(
                        RunStatus.FAILED,
                        OptionalInt.empty(),
                        "internal_error",
                        "Chime could not make the call: " + e,
                        null,
                        millisSince(startedNanos));
              }
              flights.ended(request.runId());
              writer.submit(
                  new Completion(
                      call.ref(),
                      outcome,
                      startedAt,
                      clock.instant(),
                      startedAt.plus(call.asyncTimeout())));
            },
            null) {
          @Override
          protected void done() {
            if (isCancelled()) {
              // cancelled (cancel_running) before it ended: its run was closed in the database
              flights.ended(request.runId());
              flights.written(request.runId());
            }
          }
        };
    flights.launched(request.runId(), task);
    calls.execute(task);
  }

  /** Lets calls under way finish for up to {@code grace}, then interrupts them. */
  void stop(Duration grace) {
    calls.shutdown();
    try {
      if (!calls.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "{} call(s) still running after the {} ms grace period; interrupting them",
            flights.liveCount(),
            grace.toMillis());
        calls.shutdownNow();
        calls.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      calls.shutdownNow();
    }
  }

  private static long millisSince(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }
}
