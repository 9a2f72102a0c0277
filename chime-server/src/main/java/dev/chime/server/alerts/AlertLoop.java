package dev.chime.server.alerts;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named background thread that runs one step every {@code every} until closed, and goes on after
 * any failure of the step (logged, then the next step after the same wait).
 */
final class AlertLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertLoop.class);

  /** One turn of the loop. */
  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  private final Thread thread;
  private final Duration every;
  private volatile boolean stopping;

  AlertLoop(String name, Duration every, Step step) {
    this.every = every;
    this.thread =
        Thread.ofPlatform()
            .name(name)
            .daemon(true)
            .uncaughtExceptionHandler((t, e) -> log.error("{} died", t.getName(), e))
            .unstarted(() -> loop(step));
  }

  void start() {
    thread.start();
  }

  private void loop(Step step) {
    int failures = 0;
    while (!stopping) {
      try {
        step.run();
        failures = 0;
      } catch (Throwable e) {
        failures++;
        if (failures == 1 || failures % 60 == 0) {
          log.warn("{} failed ({} time(s) in a row); trying again", thread.getName(), failures, e);
        }
        if (e instanceof VirtualMachineError fatal && failures > 10) {
          throw fatal;
        }
      }
      LockSupport.parkNanos(every.toNanos());
    }
  }

  /** Stops the loop and waits up to 15 s for its step to end (a send is bounded by 10 s). */
  @Override
  public void close() {
    stopping = true;
    LockSupport.unpark(thread);
    if (thread.isAlive()) {
      try {
        thread.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
