package dev.chime.engine;

import dev.chime.run.Run;
import dev.chime.run.RunStatus;
import dev.chime.store.EngineStore;
import dev.chime.store.EngineStore.Active;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Starts one chunk of due work in one transaction: locks its schedules, reads what is in flight for
 * them and their tenants, lets the {@link FirePlanner} apply the run policies, writes the plan
 * (made durable before any of its calls can go out), and hands each started call to the sender now
 * or to the armed calls for its instant. What could not start yet comes back to the engine to hold.
 */
final class Starter {
  /**
   * What the engine keeps: work held back, work to decide at its instant, fires that lost, and the
   * earliest next instant the started schedules moved to (none when no schedule moved).
   */
  record Outcome(
      List<Held> heldBack, List<Held> atInstant, int lost, Optional<Instant> earliestNext) {}

  private final EngineStore store;
  private final Flights flights;
  private final FirePlanner planner;
  private final Sender sender;
  private final ArmedCalls armed;
  private final Runnable startsDurable;
  private final String nodeId;
  private volatile EngineObserver observer = EngineObserver.NONE;

  void observe(EngineObserver value) {
    observer = value;
  }

  Starter(
      EngineStore store,
      Flights flights,
      FirePlanner planner,
      Sender sender,
      ArmedCalls armed,
      Runnable startsDurable,
      String nodeId) {
    this.store = store;
    this.flights = flights;
    this.planner = planner;
    this.sender = sender;
    this.armed = armed;
    this.startsDurable = startsDurable;
    this.nodeId = nodeId;
  }

  /** Starts {@code chunk} at {@code now}; throws, having started nothing, if the database fails. */
  Outcome start(List<Held> chunk, Instant now, Instant awakeSince) {
    Set<UUID> scheduleIds = new HashSet<>();
    Set<String> tenants = new HashSet<>();
    for (Held item : chunk) {
      scheduleIds.add(item.scheduleId());
      tenants.add(item.tenantId());
    }
    AtomicReference<FirePlanner.Plan> planned = new AtomicReference<>();
    EngineStore.StartResult result =
        store.start(
            nodeId,
            scheduleIds,
            tenants,
            // run again if the database aborts the transaction: only the last plan counts (a
            // catch-up token the aborted one took is spent; catch-up is a little slower)
            activity -> plan(chunk, activity, now, awakeSince, planned),
            now);
    return afterwards(planned.get(), result, now);
  }

  /**
   * What a claim that started its fires at once leaves to the engine: the outcome of the start, how
   * many schedules the claim took, the latest next fire among them, and the work it leased instead
   * of starting, with its new epochs, to hold ({@link Outcome#heldBack}) or decide at its instant
   * ({@link Outcome#atInstant}).
   */
  record ClaimOutcome(Outcome outcome, int claimed, Optional<Instant> lastClaimed) {}

  /**
   * Claims due schedules and starts them in one transaction ({@link EngineStore#claimAndStart}),
   * each made into held work by {@code hold}; throws, having claimed and started nothing, if the
   * database fails.
   */
  ClaimOutcome claimAndStart(
      Instant dueFrom,
      Instant dueBy,
      Instant leaseUntil,
      int limit,
      Instant ownBefore,
      Function<EngineStore.ClaimedSchedule, Held> hold,
      Instant now,
      Instant awakeSince) {
    AtomicReference<FirePlanner.Plan> planned = new AtomicReference<>();
    AtomicReference<Optional<Instant>> last = new AtomicReference<>(Optional.empty());
    EngineStore.ClaimStart claim =
        store.claimAndStart(
            nodeId,
            dueFrom,
            dueBy,
            now,
            leaseUntil,
            limit,
            ownBefore,
            (selected, activity) -> {
              last.set(
                  selected.stream()
                      .map(EngineStore.ClaimedSchedule::nextFireAt)
                      .max(Instant::compareTo));
              return plan(selected.stream().map(hold).toList(), activity, now, awakeSince, planned);
            });
    if (claim.claimed() == 0) {
      return new ClaimOutcome(
          new Outcome(List.of(), List.of(), 0, Optional.empty()), 0, Optional.empty());
    }
    Outcome started = afterwards(planned.get(), claim.result(), now);
    // the work not started was leased in the same transaction: it is held under its new epoch,
    // and a row edited since the select (H2 reads without locks) is claimed again with the edit
    Map<UUID, EngineStore.ClaimedSchedule> leased = new HashMap<>();
    claim.leased().forEach(row -> leased.put(row.id(), row));
    List<Held> heldBack = new ArrayList<>();
    List<Held> atInstant = new ArrayList<>();
    int lost = started.lost();
    for (Held item : started.heldBack()) {
      lost += releasedUnder(item, leased, heldBack);
    }
    for (Held item : started.atInstant()) {
      lost += releasedUnder(item, leased, atInstant);
    }
    return new ClaimOutcome(
        new Outcome(heldBack, atInstant, lost, started.earliestNext()),
        claim.claimed(),
        last.get());
  }

  /** Adds {@code item} under its new lease to {@code into}; 1 if its lease was not taken. */
  private static int releasedUnder(
      Held item, Map<UUID, EngineStore.ClaimedSchedule> leased, List<Held> into) {
    EngineStore.ClaimedSchedule row = leased.get(item.id());
    if (row == null || !(item instanceof Held.ScheduledFire fire)) {
      return 1;
    }
    into.add(
        new Held.ScheduledFire(row, fire.trigger(), fire.target(), fire.policy(), fire.fireAt()));
    return 0;
  }

  /**
   * Plans {@code chunk} from {@code activity}, keeps the plan in {@code planned}, and says what it
   * writes.
   */
  private EngineStore.StartWrites plan(
      List<Held> chunk,
      EngineStore.Activity activity,
      Instant now,
      Instant awakeSince,
      AtomicReference<FirePlanner.Plan> planned) {
    Set<UUID> scheduleIds = new HashSet<>();
    Set<String> tenants = new HashSet<>();
    for (Held item : chunk) {
      scheduleIds.add(item.scheduleId());
      tenants.add(item.tenantId());
    }
    FirePlanner.Plan plan =
        planner.plan(
            chunk,
            active(scheduleIds, activity),
            tenantRunning(tenants, activity),
            now,
            awakeSince);
    planned.set(plan);
    return new EngineStore.StartWrites(plan.scheduleStarts(), plan.runStarts(), plan.deferrals());
  }

  private Outcome afterwards(FirePlanner.Plan plan, EngineStore.StartResult result, Instant now) {
    for (EngineStore.ScheduleStart start : plan.scheduleStarts()) {
      for (Run recorded : start.recorded()) {
        if (recorded.status() == RunStatus.SKIPPED) {
          observer.skipped(recorded.tenantId(), recorded.errorCode().orElse("skipped"));
        }
      }
    }
    if (!result.started().isEmpty()) {
      // no call goes out before its run is on record for good: else a crash could send it twice
      startsDurable.run();
    }
    for (UUID cancelled : result.cancelled()) {
      Future<?> call = flights.future(cancelled);
      if (call != null) {
        call.cancel(true);
      }
      if (armed.disarm(cancelled)) {
        flights.disarm(cancelled);
      }
    }
    int lost = 0;
    for (FirePlanner.Call call : plan.calls().values()) {
      if (!result.started().contains(call.ref().runId())) {
        lost++;
      } else if (call.sendAt().isAfter(now)) {
        flights.armed(call.ref().runId());
        armed.arm(call);
      } else {
        sender.send(call);
      }
    }
    Optional<Instant> earliestNext =
        plan.scheduleStarts().stream()
            .map(EngineStore.ScheduleStart::nextFireAt)
            .flatMap(Optional::stream)
            .min(Instant::compareTo);
    return new Outcome(plan.heldBack(), plan.atInstant(), lost, earliestNext);
  }

  private Map<UUID, Active> active(Set<UUID> scheduleIds, EngineStore.Activity activity) {
    Map<UUID, Active> active = new HashMap<>();
    for (UUID id : scheduleIds) {
      active.put(
          id,
          new Active(
              flights.stillRunning(activity.running().getOrDefault(id, Set.of()), activity.own()),
              activity.queued().getOrDefault(id, 0)));
    }
    return active;
  }

  private Map<String, Integer> tenantRunning(Set<String> tenants, EngineStore.Activity activity) {
    Map<String, Integer> running = new HashMap<>();
    for (String tenant : tenants) {
      running.put(tenant, activity.byTenant().getOrDefault(tenant, 0));
    }
    return running;
  }
}
