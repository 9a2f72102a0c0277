package dev.chime.engine;

import dev.chime.dispatch.CallbackTokens;
import dev.chime.dispatch.DispatchRequest;
import dev.chime.engine.Held.QueuedRun;
import dev.chime.engine.Held.ScheduledFire;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.OverlapPolicy;
import dev.chime.schedule.RunPolicy;
import dev.chime.schedule.Trigger;
import dev.chime.store.EngineStore.Active;
import dev.chime.store.EngineStore.ClaimedRun;
import dev.chime.store.EngineStore.ClaimedSchedule;
import dev.chime.store.EngineStore.RunDeferral;
import dev.chime.store.EngineStore.RunStart;
import dev.chime.store.EngineStore.ScheduleStart;
import dev.chime.store.EngineStore.StartedRun;
import dev.chime.store.RunRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides what each due piece of work does when its moment comes, applying the run policies: the
 * catch-up window (older missed instants are recorded as skipped), the catch-up rate, the
 * schedule's concurrency and overlap policy, and the tenant's cap on runs in flight. Pure but for
 * the rate limiter's state: the store writes the plan, the engine sends its calls.
 */
final class FirePlanner {
  /** A fire later than this is catching up: it goes through the catch-up rate limit. */
  static final Duration ON_TIME = Duration.ofSeconds(5);

  /** How long a run waits before it is looked at again when its schedule or tenant is full. */
  static final Duration RECHECK = Duration.ofSeconds(1);

  /**
   * How long a catching-up fire waits when its schedule's previous fire is still in flight:
   * catch-up goes through the missed instants one after another, never overlapping itself.
   */
  static final Duration CATCHUP_RECHECK = Duration.ofMillis(50);

  /** How many missed instants are counted for the message of a skipped summary run. */
  private static final int MAX_COUNTED = 100_000;

  private final EngineSettings settings;
  private final CatchupLimiter limiter;

  FirePlanner(EngineSettings settings) {
    this.settings = settings;
    this.limiter = new CatchupLimiter(settings.catchupPerSecond());
  }

  /** A call to make once the plan is written, and what to record when it ends. */
  record Call(DispatchRequest request, RunRef ref, Duration asyncTimeout) {}

  /** What one chunk of due work does. */
  record Plan(
      List<ScheduleStart> scheduleStarts,
      List<RunStart> runStarts,
      List<RunDeferral> deferrals,
      List<Held> heldBack,
      Map<UUID, Call> calls) {}

  Plan plan(
      List<Held> due, Map<UUID, Active> active, Map<String, Integer> tenantRunning, Instant now) {
    List<ScheduleStart> scheduleStarts = new ArrayList<>();
    List<RunStart> runStarts = new ArrayList<>();
    List<RunDeferral> deferrals = new ArrayList<>();
    List<Held> heldBack = new ArrayList<>();
    Map<UUID, Call> calls = new HashMap<>();
    Map<String, Integer> running = new HashMap<>(tenantRunning);
    for (Held item : due) {
      switch (item) {
        case ScheduledFire fire ->
            planFire(fire, active, running, now, scheduleStarts, heldBack, calls);
        case QueuedRun queued ->
            planQueued(queued, active, running, now, runStarts, deferrals, heldBack, calls);
      }
    }
    return new Plan(scheduleStarts, runStarts, deferrals, heldBack, calls);
  }

  private void planFire(
      ScheduledFire fire,
      Map<UUID, Active> active,
      Map<String, Integer> running,
      Instant now,
      List<ScheduleStart> starts,
      List<Held> heldBack,
      Map<UUID, Call> calls) {
    ClaimedSchedule claim = fire.claim();
    RunPolicy policy = fire.policy();
    Trigger trigger = fire.trigger();
    Instant instant = claim.nextFireAt();
    List<Run> recorded = new ArrayList<>();

    Duration window =
        policy.catchupWindow().compareTo(ON_TIME) > 0 ? policy.catchupWindow() : ON_TIME;
    if (Duration.between(instant, now).compareTo(window) > 0) {
      // Missed by more than the catch-up window: record it (and the ones after it that are also
      // too old) as one skipped run, and go on from the first instant inside the window.
      Instant windowStart = now.minus(window);
      Optional<Instant> firstInWindow = trigger.skipMissed(instant, windowStart.minusNanos(1));
      recorded.add(missed(claim, trigger, instant, windowStart, now));
      if (firstInWindow.isEmpty() || firstInWindow.get().isAfter(now)) {
        starts.add(
            new ScheduleStart(
                claim.id(),
                claim.leaseEpoch(),
                firstInWindow,
                instant,
                Optional.empty(),
                recorded,
                false));
        return;
      }
      instant = firstInWindow.get();
    }
    boolean catchingUp = Duration.between(instant, now).compareTo(ON_TIME) > 0;
    if (catchingUp && !limiter.tryAcquire(now)) {
      heldBack.add(fire.notBefore(limiter.nextFree(now)));
      return;
    }
    Optional<Instant> next = trigger.next(instant);
    Active current = active.getOrDefault(claim.id(), Active.NONE);
    boolean full =
        policy.overlap() != OverlapPolicy.ALLOW
            && policy.overlap() != OverlapPolicy.CANCEL_RUNNING
            && current.running() >= policy.maxConcurrency();
    if (full && catchingUp) {
      heldBack.add(fire.notBefore(now.plus(CATCHUP_RECHECK)));
      return;
    }
    if (full) {
      if (policy.overlap() == OverlapPolicy.QUEUE_ONE && current.queued() == 0) {
        recorded.add(
            Run.queued(
                claim.tenantId(),
                claim.id(),
                Run.runKey(claim.id(), instant),
                1,
                RunOrigin.SCHEDULE,
                instant,
                now,
                now));
      } else {
        recorded.add(
            Run.skipped(
                claim.tenantId(),
                claim.id(),
                instant,
                now,
                "overlap",
                current.running()
                    + " run(s) still in flight (max_concurrency "
                    + policy.maxConcurrency()
                    + ", overlap_policy "
                    + policy.overlap().wireName()
                    + ")"));
      }
      starts.add(
          new ScheduleStart(
              claim.id(), claim.leaseEpoch(), next, instant, Optional.empty(), recorded, false));
      return;
    }
    if (running.getOrDefault(claim.tenantId(), 0) >= settings.tenantMaxRunning()) {
      heldBack.add(fire.notBefore(now.plus(RECHECK)));
      return;
    }
    running.merge(claim.tenantId(), 1, Integer::sum);
    Run run = Run.started(claim.tenantId(), claim.id(), instant, now);
    String token = CallbackTokens.newToken();
    Instant deadline = now.plus(fire.target().timeout()).plus(settings.lease());
    starts.add(
        new ScheduleStart(
            claim.id(),
            claim.leaseEpoch(),
            next,
            instant,
            Optional.of(new StartedRun(run, deadline, CallbackTokens.hash(token))),
            recorded,
            policy.overlap() == OverlapPolicy.CANCEL_RUNNING && current.running() > 0));
    RunRef ref =
        new RunRef(
            run.id(),
            claim.id(),
            claim.tenantId(),
            run.runKey(),
            1,
            RunOrigin.SCHEDULE,
            instant,
            policy);
    calls.put(run.id(), call(ref, run.traceId(), fire.target(), claim.payloadJson(), token));
  }

  private void planQueued(
      QueuedRun queued,
      Map<UUID, Active> active,
      Map<String, Integer> running,
      Instant now,
      List<RunStart> starts,
      List<RunDeferral> deferrals,
      List<Held> heldBack,
      Map<UUID, Call> calls) {
    ClaimedRun claim = queued.claim();
    RunRef ref = claim.ref();
    RunPolicy policy = ref.policy();
    if (ref.origin() != RunOrigin.MANUAL && policy.overlap() != OverlapPolicy.ALLOW) {
      Active current = active.getOrDefault(ref.scheduleId(), Active.NONE);
      if (current.running() >= policy.maxConcurrency()) {
        deferrals.add(new RunDeferral(ref.runId(), claim.leaseEpoch(), now.plus(RECHECK)));
        return;
      }
      active.put(ref.scheduleId(), new Active(current.running() + 1, current.queued()));
    }
    if (running.getOrDefault(ref.tenantId(), 0) >= settings.tenantMaxRunning()) {
      heldBack.add(queued.notBefore(now.plus(RECHECK)));
      return;
    }
    running.merge(ref.tenantId(), 1, Integer::sum);
    String token = CallbackTokens.newToken();
    Instant deadline = now.plus(queued.target().timeout()).plus(settings.lease());
    starts.add(new RunStart(ref.runId(), claim.leaseEpoch(), deadline, CallbackTokens.hash(token)));
    calls.put(ref.runId(), call(ref, claim.traceId(), queued.target(), claim.payloadJson(), token));
  }

  private Call call(
      RunRef ref, String traceId, HttpTarget target, String payloadJson, String token) {
    return new Call(
        new DispatchRequest(
            ref.runId(),
            ref.scheduleId(),
            ref.runKey(),
            ref.attempt(),
            ref.scheduledAt(),
            traceId,
            target,
            payloadJson,
            settings.callbackUrl(ref.runId()),
            token),
        ref,
        target.asyncTimeout());
  }

  /** The skipped summary of instants missed by more than the window. */
  private static Run missed(
      ClaimedSchedule claim, Trigger trigger, Instant first, Instant windowStart, Instant now) {
    int count = 0;
    Instant last = first;
    for (Optional<Instant> at = Optional.of(first);
        at.isPresent() && at.get().isBefore(windowStart) && count < MAX_COUNTED;
        at = trigger.next(at.get())) {
      count++;
      last = at.get();
    }
    String message =
        (count == 1
                ? "the fire at " + first + " was missed"
                : (count >= MAX_COUNTED ? "at least " : "")
                    + count
                    + " fires from "
                    + first
                    + " to "
                    + last
                    + " were missed")
            + " while no Chime node ran it; they were older than the catch-up window"
            + " (catchup_window_s) and were not sent";
    return Run.skipped(claim.tenantId(), claim.id(), first, now, "missed", message);
  }
}
