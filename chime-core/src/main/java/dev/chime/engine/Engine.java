package dev.chime.engine;

import dev.chime.dispatch.DispatchRequest;
import dev.chime.dispatch.Dispatcher;
import dev.chime.engine.Held.QueuedRun;
import dev.chime.engine.Held.ScheduledFire;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.PolicyJson;
import dev.chime.schedule.ScheduleJson;
import dev.chime.schedule.TargetJson;
import dev.chime.store.EngineStore;
import dev.chime.store.EngineStore.ClaimedRun;
import dev.chime.store.EngineStore.ClaimedSchedule;
import dev.chime.store.ResultStore.Completion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's scheduler. One loop thread claims due work in batches ({@code lookahead} ahead), holds
 * it in memory and, at each instant, marks the due fires started in one transaction and hands them
 * to virtual threads that call the targets. Results go to the database in batches through the
 * {@link CompletionWriter}. All decisions read the injected {@link Clock}; waiting is capped at
 * {@code poll} of real time, so a test that moves a fake clock calls {@link #wake()}.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final int START_CHUNK = 200;

  private final EngineStore store;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final EngineSettings settings;
  private final CompletionWriter writer;
  private final ExecutorService calls;
  private final PriorityQueue<Held> held = new PriorityQueue<>();
  private final Set<UUID> heldIds = new HashSet<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong firedTotal = new AtomicLong();
  private final AtomicLong loopTurns = new AtomicLong();
  private final Map<UUID, Future<?>> running = new ConcurrentHashMap<>();
  private final FirePlanner planner;
  private long nextExpiryNanos = System.nanoTime();
  private final Thread loop;
  private boolean woken;
  private volatile boolean stopping;
  private volatile long lastLoopNanos = System.nanoTime();
  private boolean closed;

  public Engine(EngineStore store, Dispatcher dispatcher, Clock clock, EngineSettings settings) {
    this.store = store;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.settings = settings;
    this.writer = new CompletionWriter(store.results(), settings.batchSize(), settings.nodeId());
    this.planner = new FirePlanner(settings);
    this.calls =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("chime-fire-", 0).factory());
    this.loop =
        Thread.ofPlatform()
            .name("chime-engine-" + settings.nodeId())
            .daemon(true)
            .uncaughtExceptionHandler((t, e) -> log.error("engine loop died", e))
            .unstarted(this::runLoop);
  }

  public void start() {
    writer.start();
    loop.start();
    log.info(
        "engine {} started: poll {} ms, lookahead {} ms, batch {}",
        settings.nodeId(),
        settings.poll().toMillis(),
        settings.lookahead().toMillis(),
        settings.batchSize());
  }

  /** Makes the loop look for due work now, e.g. after a schedule changed or a run was queued. */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Whether the loop has gone round recently; a stalled or dead loop makes the node unready. */
  public boolean isAlive() {
    long stalledNanos = Math.max(settings.poll().toNanos() * 10, Duration.ofSeconds(10).toNanos());
    return loop.isAlive() && !stopping && System.nanoTime() - lastLoopNanos < stalledNanos;
  }

  /** Fires sent since start. */
  public long firedTotal() {
    return firedTotal.get();
  }

  /** How many times the loop has gone round; lets a test know the engine saw a clock move. */
  public long loopTurns() {
    return loopTurns.get();
  }

  private void runLoop() {
    boolean claimNow = true;
    long nextClaimNanos = 0;
    while (!stopping) {
      lastLoopNanos = System.nanoTime();
      loopTurns.incrementAndGet();
      try {
        if (claimNow || System.nanoTime() - nextClaimNanos >= 0) {
          claimNow = claim(clock.instant());
          nextClaimNanos = System.nanoTime() + settings.poll().toNanos();
        }
        fireDue(clock.instant());
        expireOverdue(clock.instant());
        if (!claimNow) {
          claimNow = awaitNext(nextClaimNanos);
        }
      } catch (RuntimeException e) {
        log.error("engine loop failed; trying again in {} ms", settings.poll().toMillis(), e);
        awaitNext(System.nanoTime() + settings.poll().toNanos());
        claimNow = true;
      }
    }
  }

  /** Claims what is due within the lookahead; true when a batch was full and more may wait. */
  private boolean claim(Instant now) {
    int room = settings.batchSize() * 4 - held.size();
    if (room <= 0) {
      return false;
    }
    int limit = Math.min(room, settings.batchSize());
    Instant dueBy = now.plus(settings.lookahead());
    Instant leaseUntil = dueBy.plus(settings.lease());
    List<ClaimedSchedule> schedules =
        store.claimSchedules(settings.nodeId(), dueBy, now, leaseUntil, limit);
    for (ClaimedSchedule claimed : schedules) {
      if (heldIds.add(claimed.id())) {
        held.add(
            new ScheduledFire(
                claimed,
                ScheduleJson.storedTrigger(claimed.triggerJson()),
                TargetJson.stored(claimed.targetJson()),
                PolicyJson.fromStored(claimed.policyJson())));
      }
    }
    List<ClaimedRun> runs = store.claimRuns(settings.nodeId(), dueBy, now, leaseUntil, limit);
    for (ClaimedRun claimed : runs) {
      if (heldIds.add(claimed.ref().runId())) {
        held.add(new QueuedRun(claimed, TargetJson.stored(claimed.targetJson())));
      }
    }
    return schedules.size() == limit || runs.size() == limit;
  }

  /**
   * Starts what is due, in chunks: the first calls go out after one short transaction rather than
   * after the whole backlog of a busy instant is written.
   */
  private void fireDue(Instant now) {
    while (!held.isEmpty() && !held.peek().fireAt().isAfter(now)) {
      List<Held> due = new ArrayList<>();
      while (due.size() < START_CHUNK && !held.isEmpty() && !held.peek().fireAt().isAfter(now)) {
        due.add(held.poll());
      }
      startAndDispatch(due, now);
    }
  }

  private void startAndDispatch(List<Held> due, Instant now) {
    FirePlanner.Plan plan;
    EngineStore.StartResult result;
    try {
      Set<UUID> scheduleIds = new HashSet<>();
      Set<String> tenants = new HashSet<>();
      for (Held item : due) {
        switch (item) {
          case ScheduledFire fire -> {
            scheduleIds.add(fire.claim().id());
            tenants.add(fire.claim().tenantId());
          }
          case QueuedRun queued -> {
            scheduleIds.add(queued.claim().ref().scheduleId());
            tenants.add(queued.claim().ref().tenantId());
          }
        }
      }
      EngineStore.Activity activity = store.activity(scheduleIds, tenants);
      plan =
          planner.plan(due, new HashMap<>(activity.bySchedule()), activity.runningByTenant(), now);
      result =
          store.start(
              settings.nodeId(), plan.scheduleStarts(), plan.runStarts(), plan.deferrals(), now);
    } catch (RuntimeException e) {
      // Still leased to this node: hold them again and retry on the next round.
      held.addAll(due);
      throw e;
    }
    for (Held item : due) {
      heldIds.remove(item.id());
    }
    for (Held back : plan.heldBack()) {
      heldIds.add(back.id());
      held.add(back);
    }
    for (UUID cancelled : result.cancelled()) {
      Future<?> call = running.get(cancelled);
      if (call != null) {
        call.cancel(true);
      }
    }
    plan.calls()
        .forEach(
            (runId, call) -> {
              if (result.started().contains(runId)) {
                dispatch(call);
              } else {
                log.debug("run {} not started: its lease was lost", runId);
              }
            });
  }

  private void dispatch(FirePlanner.Call call) {
    DispatchRequest request = call.request();
    inFlight.incrementAndGet();
    firedTotal.incrementAndGet();
    long startedNanos = System.nanoTime();
    Instant startedAt = clock.instant();
    Runnable work =
        () -> {
          RunOutcome outcome;
          try {
            outcome = dispatcher.call(request);
          } catch (InterruptedException e) {
            outcome =
                RunOutcome.failure(
                    RunStatus.FAILED,
                    OptionalInt.empty(),
                    "shutdown",
                    "Chime stopped the call before the target answered",
                    null,
                    Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
          } catch (RuntimeException e) {
            log.error("dispatch of run {} failed unexpectedly", request.runId(), e);
            outcome =
                RunOutcome.failure(
                    RunStatus.FAILED,
                    OptionalInt.empty(),
                    "internal_error",
                    "Chime could not make the call: " + e,
                    null,
                    0);
          }
          writer.submit(
              new Completion(
                  call.ref(), outcome, clock.instant(), startedAt.plus(call.asyncTimeout())));
        };
    // done() runs once whether the call ends or is cancelled (cancel_running) before it starts
    FutureTask<Void> task =
        new FutureTask<>(work, null) {
          @Override
          protected void done() {
            running.remove(request.runId());
            inFlight.decrementAndGet();
          }
        };
    running.put(request.runId(), task);
    calls.execute(task);
  }

  /** Closes runs whose deadline passed (their node died, or an async target never reported). */
  private void expireOverdue(Instant now) {
    if (System.nanoTime() - nextExpiryNanos < 0) {
      return;
    }
    nextExpiryNanos = System.nanoTime() + settings.poll().toNanos();
    int closed = store.results().expireOverdue(now, settings.batchSize());
    if (closed > 0) {
      log.info("closed {} run(s) past their deadline as timeout", closed);
    }
  }

  /** Waits until the next held instant, the next claim, or a wake; true if woken. */
  private boolean awaitNext(long nextClaimNanos) {
    lock.lock();
    try {
      long waitNanos = nextClaimNanos - System.nanoTime();
      if (!held.isEmpty()) {
        long untilFire = Duration.between(clock.instant(), held.peek().fireAt()).toNanos();
        waitNanos = Math.min(waitNanos, untilFire);
      }
      waitNanos = Math.min(waitNanos, settings.poll().toNanos());
      while (!woken && !stopping && waitNanos > 0) {
        waitNanos = wakeUp.awaitNanos(waitNanos);
      }
      boolean wasWoken = woken;
      woken = false;
      return wasWoken;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops in order: no more claims, leases on unstarted work given back, in-flight calls allowed up
   * to the grace period (then interrupted and recorded as failed), results written. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    wake();
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      int released = store.releaseLeases(settings.nodeId());
      log.info("engine {} stopping: released {} unstarted claim(s)", settings.nodeId(), released);
    } catch (RuntimeException e) {
      log.warn("could not release leases; they run out on their own: {}", e.getMessage());
    }
    calls.shutdown();
    try {
      if (!calls.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "{} call(s) still running after the {} ms grace period; interrupting them",
            inFlight.get(),
            settings.shutdownGrace().toMillis());
        calls.shutdownNow();
        calls.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      calls.shutdownNow();
    }
    writer.stop(10_000);
    log.info("engine {} stopped after {} fire(s)", settings.nodeId(), firedTotal.get());
  }
}
