package dev.chime.engine;

import dev.chime.dispatch.CallbackTokens;
import dev.chime.dispatch.DispatchRequest;
import dev.chime.dispatch.Envelope;
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
import java.util.function.ToIntFunction;

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

  /** How many missed instants are counted for the message of a skipped summary run, at most. */
  private static final int MAX_COUNTED = 10_000;

  /** How long counting them may take on the engine thread, at most. */
  private static final long MAX_COUNTING_NANOS = 2_000_000;

  private final EngineSettings settings;
  private final ToIntFunction<String> tenantMaxRunning;
  private final CatchupLimiter limiter;

  /** {@code tenantMaxRunning}: how many runs each tenant may have in flight. */
  FirePlanner(EngineSettings settings, ToIntFunction<String> tenantMaxRunning) {
    this.settings = settings;
    this.tenantMaxRunning = tenantMaxRunning;
    this.limiter = new CatchupLimiter(settings.catchupPerSecond());
  }

  /**
   * A call to make once the plan is written, at {@code sendAt}, and what to record when it ends.
   */
  record Call(
      DispatchRequest request,
      RunRef ref,
      Duration asyncTimeout,
      Instant sendAt,
      Optional<ClaimedSchedule> claim) {
    /** Whether this start inserted the run (a scheduled fire) rather than moving a queued one. */
    boolean newRun() {
      return claim.isPresent();
    }
  }

  /**
   * What one chunk of work does. {@code heldBack} waits (catch-up rate, tenant cap); {@code
   * atInstant} is work whose schedule has a run in flight, to be decided at its instant rather than
   * ahead of it.
   */
  record Plan(
      List<ScheduleStart> scheduleStarts,
      List<RunStart> runStarts,
      List<RunDeferral> deferrals,
      List<Held> heldBack,
      List<Held> atInstant,
      Map<UUID, Call> calls) {}

  /**
   * Plans {@code work} at {@code now}: work due now, and work due a little later that can be marked
   * started ahead of its instant because nothing of its schedule is in flight. {@code active}
   * counts each schedule's runs in flight and queued (updated as the plan starts more), {@code
   * tenantRunning} each tenant's calls in flight. Instants before {@code awakeSince} fell due while
   * no node ran them (downtime, a pause): only they go through the catch-up window and rate.
   */
  Plan plan(
      List<Held> work,
      Map<UUID, Active> active,
      Map<String, Integer> tenantRunning,
      Instant now,
      Instant awakeSince) {
    Plan plan =
        new Plan(
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new HashMap<>());
    for (Held item : work) {
      if (item.fireAt().isAfter(now) && busy(item, active)) {
        plan.atInstant().add(item);
        continue;
      }
      switch (item) {
        case ScheduledFire fire -> planFire(fire, active, tenantRunning, now, awakeSince, plan);
        case QueuedRun queued -> planQueued(queued, active, tenantRunning, now, plan);
      }
    }
    return plan;
  }

  /**
   * Whether the tenant is below its limit of runs in flight. Runs started past it within one chunk
   * wait for the sender's permits of the tenant, which hold the limit on this node exactly.
   */
  private boolean tenantHasRoom(String tenantId, Map<String, Integer> running) {
    return running.getOrDefault(tenantId, 0) < tenantMaxRunning.applyAsInt(tenantId);
  }

  /** Whether the work's schedule has a run in flight that its overlap policy must weigh. */
  private static boolean busy(Held item, Map<UUID, Active> active) {
    RunPolicy policy =
        switch (item) {
          case ScheduledFire fire -> fire.policy();
          case QueuedRun queued -> queued.claim().ref().policy();
        };
    if (item instanceof QueuedRun queued && queued.claim().ref().origin() == RunOrigin.MANUAL) {
      return false;
    }
    return policy.overlap() != OverlapPolicy.ALLOW
        && active.getOrDefault(item.scheduleId(), Active.NONE).running() > 0;
  }

  private void planFire(
      ScheduledFire fire,
      Map<UUID, Active> active,
      Map<String, Integer> running,
      Instant now,
      Instant awakeSince,
      Plan plan) {
    List<ScheduleStart> starts = plan.scheduleStarts();
    List<Held> heldBack = plan.heldBack();
    ClaimedSchedule claim = fire.claim();
    RunPolicy policy = fire.policy();
    Trigger trigger = fire.trigger();
    Instant instant = claim.nextFireAt();
    List<Run> recorded = new ArrayList<>();

    Duration window =
        policy.catchupWindow().compareTo(ON_TIME) > 0 ? policy.catchupWindow() : ON_TIME;
    boolean missedWhileDown = instant.isBefore(awakeSince);
    if (missedWhileDown && Duration.between(instant, now).compareTo(window) > 0) {
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
    // a node's own lag is never throttled: only instants that fell due while no node ran them
    boolean catchingUp =
        instant.isBefore(awakeSince) && Duration.between(instant, now).compareTo(ON_TIME) > 0;
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
        active.put(claim.id(), new Active(current.running(), current.queued() + 1));
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
    if (!tenantHasRoom(claim.tenantId(), running)) {
      heldBack.add(fire.notBefore(now.plus(RECHECK)));
      return;
    }
    // the instant, not when the fire was held until: a fire held back by the tenant's cap and
    // planned again before its instant still goes at its instant
    Instant startAt = later(now, instant);
    active.put(claim.id(), new Active(current.running() + 1, current.queued()));
    Run run = Run.started(claim.tenantId(), claim.id(), instant, startAt);
    String token = CallbackTokens.newToken();
    Instant deadline = startAt.plus(fire.target().timeout()).plus(settings.lease());
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
    plan.calls()
        .put(
            run.id(),
            call(
                ref,
                run.traceId(),
                fire.target(),
                claim.payloadJson(),
                token,
                startAt,
                Optional.of(claim)));
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private void planQueued(
      QueuedRun queued,
      Map<UUID, Active> active,
      Map<String, Integer> running,
      Instant now,
      Plan plan) {
    List<RunStart> starts = plan.runStarts();
    List<RunDeferral> deferrals = plan.deferrals();
    List<Held> heldBack = plan.heldBack();
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
    if (!tenantHasRoom(ref.tenantId(), running)) {
      heldBack.add(queued.notBefore(now.plus(RECHECK)));
      return;
    }
    Instant startAt = later(now, claim.dueAt());
    String token = CallbackTokens.newToken();
    Instant deadline = startAt.plus(queued.target().timeout()).plus(settings.lease());
    starts.add(
        new RunStart(
            ref.runId(), claim.leaseEpoch(), startAt, deadline, CallbackTokens.hash(token)));
    plan.calls()
        .put(
            ref.runId(),
            call(
                ref,
                claim.traceId(),
                queued.target(),
                claim.payloadJson(),
                token,
                startAt,
                Optional.empty()));
  }

  private Call call(
      RunRef ref,
      String traceId,
      HttpTarget target,
      String payloadJson,
      String token,
      Instant sendAt,
      Optional<ClaimedSchedule> claim) {
    return new Call(
        new DispatchRequest(
            ref.runId(),
            ref.tenantId(),
            ref.scheduleId(),
            ref.runKey(),
            ref.attempt(),
            ref.scheduledAt(),
            traceId,
            target,
            Envelope.body(
                target, ref.scheduleId(), ref.runId(), ref.attempt(), ref.origin(), payloadJson),
            settings.callbackUrl(ref.runId()),
            token),
        ref,
        target.asyncTimeout(),
        sendAt,
        claim);
  }

  /** The skipped summary of instants missed by more than the window. */
  private static Run missed(
      ClaimedSchedule claim, Trigger trigger, Instant first, Instant windowStart, Instant now) {
    int count = 0;
    Instant last = first;
    long started = System.nanoTime();
    boolean cut = false;
    for (Optional<Instant> at = Optional.of(first);
        at.isPresent() && at.get().isBefore(windowStart);
        at = trigger.next(at.get())) {
      if (count >= MAX_COUNTED || System.nanoTime() - started > MAX_COUNTING_NANOS) {
        cut = true;
        break;
      }
      count++;
      last = at.get();
    }
    String message =
        (count == 1
                ? "the fire at " + first + " was missed"
                : (cut ? "at least " : "")
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
