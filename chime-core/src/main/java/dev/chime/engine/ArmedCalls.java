package dev.chime.engine;

import dev.chime.schedule.ScheduleJson;
import dev.chime.store.EngineStore;
import dev.chime.store.EngineStore.ClaimedSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls marked started in the database that wait for their instant. A thread of their own sends
 * each one at its instant, so a claim or a start transaction under way on the engine loop never
 * makes a fire late. Waiting reads the injected clock and is capped at {@code maxWait} of real
 * time, so a test that moves a fake clock sees its calls go within that cap, or calls {@link
 * #sendDue()} itself.
 */
final class ArmedCalls {
  private static final Logger log = LoggerFactory.getLogger(ArmedCalls.class);

  private final Clock clock;
  private final long maxWaitNanos;
  private final Consumer<FirePlanner.Call> send;
  private final PriorityQueue<FirePlanner.Call> queue =
      new PriorityQueue<>((a, b) -> a.sendAt().compareTo(b.sendAt()));
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private volatile boolean stopped;

  ArmedCalls(
      Clock clock, Duration maxWait, Consumer<FirePlanner.Call> send, String nodeId, boolean own) {
    this.clock = clock;
    this.maxWaitNanos = maxWait.toNanos();
    this.send = send;
    this.thread =
        own
            ? Thread.ofPlatform()
                .name("chime-armed-" + nodeId)
                .daemon(true)
                .uncaughtExceptionHandler((t, e) -> log.error("armed-call sender died", e))
                .unstarted(this::run)
            : null;
  }

  void start() {
    if (thread != null) {
      thread.start();
    }
  }

  void arm(FirePlanner.Call call) {
    lock.lock();
    try {
      queue.add(call);
      if (queue.peek() == call) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes back an armed call that must not go (its run was cancelled); false if not armed. */
  boolean disarm(UUID runId) {
    lock.lock();
    try {
      return queue.removeIf(call -> call.ref().runId().equals(runId));
    } finally {
      lock.unlock();
    }
  }

  /** Sends every armed call whose instant has come. */
  void sendDue() {
    for (FirePlanner.Call call : takeDue()) {
      send.accept(call);
    }
  }

  int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Whether an armed call is due now and not sent yet. */
  boolean anyDue() {
    lock.lock();
    try {
      return !queue.isEmpty() && !queue.peek().sendAt().isAfter(clock.instant());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops sending and returns what the calls never sent need to be given back: a scheduled fire
   * puts its schedule back on its instant, a queued run goes back to the queue.
   */
  List<EngineStore.Unstart> stop() {
    List<EngineStore.Unstart> unstarts = new ArrayList<>();
    for (FirePlanner.Call call : stopSending()) {
      if (call.claim().isPresent()) {
        ClaimedSchedule claim = call.claim().get();
        unstarts.add(
            new EngineStore.Unstart(
                call.ref().runId(),
                claim.id(),
                true,
                claim.nextFireAt(),
                claim.lastFireAt(),
                ScheduleJson.storedTrigger(claim.triggerJson()).next(claim.nextFireAt())));
      } else {
        unstarts.add(
            new EngineStore.Unstart(
                call.ref().runId(),
                call.ref().scheduleId(),
                false,
                call.ref().scheduledAt(),
                Optional.empty(),
                Optional.empty()));
      }
    }
    return unstarts;
  }

  private List<FirePlanner.Call> stopSending() {
    stopped = true;
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      List<FirePlanner.Call> left = new ArrayList<>(queue);
      queue.clear();
      return left;
    } finally {
      lock.unlock();
    }
  }

  private List<FirePlanner.Call> takeDue() {
    List<FirePlanner.Call> due = new ArrayList<>();
    lock.lock();
    try {
      Instant now = clock.instant();
      while (!stopped && !queue.isEmpty() && !queue.peek().sendAt().isAfter(now)) {
        due.add(queue.poll());
      }
    } finally {
      lock.unlock();
    }
    return due;
  }

  private void run() {
    while (!stopped) {
      try {
        sendDue();
        lock.lock();
        try {
          long wait = maxWaitNanos;
          if (!queue.isEmpty()) {
            wait =
                Math.min(wait, Duration.between(clock.instant(), queue.peek().sendAt()).toNanos());
          }
          if (wait > 0 && !stopped) {
            changed.await(wait, TimeUnit.NANOSECONDS);
          }
        } finally {
          lock.unlock();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable e) {
        log.error("sending armed calls failed; going on", e);
      }
    }
  }
}
