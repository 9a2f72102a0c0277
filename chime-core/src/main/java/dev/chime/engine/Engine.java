package dev.chime.engine;

import dev.chime.dispatch.Dispatcher;
import dev.chime.engine.Held.QueuedRun;
import dev.chime.engine.Held.ScheduledFire;
import dev.chime.store.EngineStore;
import dev.chime.store.EngineStore.ClaimedRun;
import dev.chime.store.EngineStore.ClaimedSchedule;
import dev.chime.store.EngineStore.Lease;
import dev.chime.store.ResultStore.Completion;
import dev.chime.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's scheduler. One loop claims due work in batches ({@code lookahead} ahead) and holds it in
 * memory; {@code prestart} before each instant it marks the fires started in the database, many to
 * a transaction, and at the instant it sends them without waiting on the database. Work whose
 * schedule has a run in flight is decided at its instant instead, with the latest counts. Results
 * go to the database in batches through the {@link CompletionWriter}. All decisions read the
 * injected {@link Clock}; waiting is capped at {@code poll} of real time, so a test that moves a
 * fake clock calls {@link #wake()}, or drives a {@link #manual} engine with {@link #tick()}.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final int START_CHUNK = 500;

  /** Held work beyond which fires are marked started as soon as they are claimed. */
  private static final int BURST_HELD = 2 * START_CHUNK;

  /**
   * How far ahead, in lookaheads, the engine looks for a burst: more than {@link #BURST_HELD} fires
   * due after the lookahead, which it claims and marks started ahead of their instant.
   */
  private static final int BURST_LOOKAHEADS = 3;

  /** A loop turn this much later than the one before means the node was not running meanwhile. */
  static final Duration PAUSE = Duration.ofSeconds(5);

  /**
   * Every this many polls the timed claim looks at everything due; the polls between look only past
   * what this node claimed. Rows free behind that mark come from a change (which wakes the engine
   * and makes its next claim a full one), from this node's own starts (which move the mark back),
   * and from another node that died or paused (its leases ran out): those wait for the full claim.
   */
  private static final int FULL_CLAIM_POLLS = 4;

  /** Calls started but not yet answered beyond which the engine starts nothing more. */
  private static final int MAX_PENDING_CALLS = 20_000;

  /**
   * How often a loop that has due work but no room for it (see {@link #saturated()}) looks again,
   * besides being nudged by every result write.
   */
  private static final Duration ROOM_RECHECK = Duration.ofMillis(10);

  /**
   * Results waiting for the writer past which nothing more starts: under overload the database is
   * shared by starts and results, and a node that kept starting would leave its runs on record as
   * running for ever longer. Ten of the writer's batches.
   */
  private static final int MAX_UNWRITTEN_RESULTS = 5_000;

  private final EngineStore store;
  private final Clock clock;
  private final EngineSettings settings;
  private final boolean manual;
  private final Flights flights = new Flights();
  private final CompletionWriter writer;
  private final Sender sender;
  private final HeldWork held = new HeldWork();
  private final ParsedColumns parsed = new ParsedColumns();

  /** Claimed work held back (catch-up rate, tenant cap) until its time: renewed, not prestarted. */
  private final HeldWork waiting = new HeldWork();

  private final PriorityQueue<Held> atInstant = new PriorityQueue<>();
  private final ArmedCalls armed;
  private final Starter starter;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final AtomicLong loopTurns = new AtomicLong();
  private final Thread loop;
  private boolean woken;

  /** Set while due work waits for room: written results then nudge the loop. */
  private volatile boolean waitingForRoom;

  private int maxPendingCalls = MAX_PENDING_CALLS;
  private volatile boolean stopping;
  private volatile long lastLoopNanos = System.nanoTime();
  private volatile Optional<String> loopProblem = Optional.empty();
  private boolean closed;

  private boolean claimNow = true;

  private final TenantLimits tenantLimits;
  private volatile EngineObserver observer = EngineObserver.NONE;

  /**
   * Everything claimable due before this was claimed by this node's last claims, as far as this
   * node can tell; null: unknown. Its own starts move it back to the next instants they set.
   */
  private Instant claimedThrough;

  /**
   * Where claims look to while a burst is coming: the instant by which more than {@link
   * #BURST_HELD} fires fall due after the lookahead, as last seen; null when none was.
   */
  private Instant burstDueBy;

  /** When claims look for a burst again: once a poll, however often a wake-up makes them claim. */
  private long nextBurstLookNanos;

  /** When the timed claim looks at everything due again, not only past {@link #claimedThrough}. */
  private long nextFullClaimNanos;

  /** Set by a wake-up (a schedule changed): the next claim looks at everything due. */
  private volatile boolean fullClaimNow = true;

  /** Leases of this node's id that run out before this were taken before it started. */
  private Instant ownBefore;

  private long nextClaimNanos;
  private long nextRenewNanos;
  private long nextExpiryNanos;
  private Instant awakeSince;

  /** Whether the last claim of schedules came back full: more is due than one claim takes. */
  private boolean lastClaimFull;

  private Instant lastTick;

  public Engine(EngineStore store, Dispatcher dispatcher, Clock clock, EngineSettings settings) {
    this(store, dispatcher, clock, settings, () -> {}, false);
  }

  /**
   * An engine whose database needs a step after a commit before the commit survives a crash (the
   * embedded H2 writes its file in the background): {@code startsDurable} runs after each start
   * transaction, before any of its calls can go out.
   */
  public Engine(
      EngineStore store,
      Dispatcher dispatcher,
      Clock clock,
      EngineSettings settings,
      Runnable startsDurable) {
    this(store, dispatcher, clock, settings, startsDurable, false);
  }

  private Engine(
      EngineStore store,
      Dispatcher dispatcher,
      Clock clock,
      EngineSettings settings,
      Runnable startsDurable,
      boolean manual) {
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.manual = manual;
    this.writer =
        new CompletionWriter(
            store.results(),
            settings.batchSize(),
            settings.resultLinger(),
            settings.nodeId(),
            this::written,
            store::ping);
    this.tenantLimits = new TenantLimits(store, settings.tenantMaxRunning());
    this.sender =
        new Sender(
            dispatcher, clock, flights, writer, tenantLimits::maxRunning, settings.callsPerHost());
    this.armed =
        new ArmedCalls(
            clock, settings.poll(), call -> sender.send(call), settings.nodeId(), !manual);
    this.starter =
        new Starter(
            store,
            flights,
            new FirePlanner(settings, tenantLimits::maxRunning),
            sender,
            armed,
            startsDurable,
            settings.nodeId());
    this.loop =
        Thread.ofPlatform()
            .name("chime-engine-" + settings.nodeId())
            .daemon(true)
            .uncaughtExceptionHandler((t, e) -> log.error("engine loop died", e))
            .unstarted(this::runLoop);
  }

  /**
   * An engine without a loop thread, driven by {@link #tick()}: each call claims, marks started,
   * sends what is due and closes what expired, at the clock's time. Calls and result writes still
   * run on their own threads; {@link #isQuiet()} tells when they are done.
   */
  public static Engine manual(
      EngineStore store, Dispatcher dispatcher, Clock clock, EngineSettings settings) {
    return new Engine(store, dispatcher, clock, settings, () -> {}, true);
  }

  public void start() {
    awakeSince = clock.instant();
    lastTick = awakeSince;
    ownBefore = awakeSince.plus(settings.lookahead()).plus(settings.lease());
    writer.start();
    closeOrphans();
    armed.start();
    if (!manual) {
      loop.start();
    }
    log.info(
        "engine {} started: poll {} ms, lookahead {} ms, prestart {} ms, batch {}",
        settings.nodeId(),
        settings.poll().toMillis(),
        settings.lookahead().toMillis(),
        settings.prestart().toMillis(),
        settings.batchSize());
  }

  /** Makes the loop look for due work now, e.g. after a schedule changed or a run was queued. */
  public void wake() {
    signal(true);
  }

  /** Ends the loop's wait; with {@code claim}, its next turn claims everything due. */
  private void signal(boolean claim) {
    lock.lock();
    try {
      woken = true;
      if (claim) {
        claimNow = true;
        fullClaimNow = true;
      }
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Lowers the number of calls under way past which nothing more starts (20,000), before {@link
   * #start()}; lets a test reach the limit with a few calls.
   */
  void limitPendingCalls(int value) {
    maxPendingCalls = value;
  }

  /** Whether the loop has gone round recently; a stalled or dead loop makes the node unready. */
  public boolean isAlive() {
    return problem().isEmpty();
  }

  /** Why this engine is not working, if it is not: a stalled loop, or results not being written. */
  public Optional<String> problem() {
    return problem(defaultStallAfter(settings.poll()));
  }

  /**
   * As {@link #problem()}, with the loop counted as stalled once it has not gone round for {@code
   * stalledAfter}; that must be longer than the poll, which an idle loop waits between turns.
   */
  public Optional<String> problem(Duration stalledAfter) {
    if (stopping) {
      return Optional.of("the engine is stopping");
    }
    long stalledNanos = stalledAfter.toNanos();
    long since = System.nanoTime() - lastLoopNanos;
    if (!manual && (!loop.isAlive() || since > stalledNanos)) {
      return Optional.of(
          "the engine loop has not gone round for " + Duration.ofNanos(since).toMillis() + " ms");
    }
    if (loopProblem.isPresent()) {
      return loopProblem;
    }
    return writer.problem();
  }

  /** How long a loop may go without a turn before it counts as stalled: 10 polls, at least 10 s. */
  public static Duration defaultStallAfter(Duration poll) {
    Duration tenPolls = poll.multipliedBy(10);
    Duration floor = Duration.ofSeconds(10);
    return tenPolls.compareTo(floor) > 0 ? tenPolls : floor;
  }

  /** Fires sent since start. */
  public long firedTotal() {
    return sender.sent();
  }

  /** How many times the loop has gone round; lets a test know the engine saw a clock move. */
  public long loopTurns() {
    return loopTurns.get();
  }

  /** Whether no call is under way and every result is written: a test's point to look. */
  public boolean isQuiet() {
    return !armed.anyDue()
        && flights.liveCount() == 0
        && flights.endedCount() == 0
        && writer.pending() == 0;
  }

  /** Work claimed and not yet started, started and waiting for its instant: for tests. */
  public int heldCount() {
    return held.size() + waiting.size() + atInstant.size();
  }

  /** Runs marked started that wait for their instant. */
  public int armedCount() {
    return flights.armedCount();
  }

  private void runLoop() {
    int failures = 0;
    while (!stopping) {
      lastLoopNanos = System.nanoTime();
      try {
        long waitNanos = turn();
        failures = 0;
        loopProblem = Optional.empty();
        awaitNext(waitNanos);
      } catch (Throwable e) {
        failures++;
        loopProblem = Optional.of("the engine loop fails: " + e);
        if (e instanceof StoreException store && store.connectionLost()) {
          // the database logs when it goes out of reach and when it is back
          log.debug("engine loop: the database is out of reach; trying again", e);
        } else {
          log.error(
              "engine loop failed ({} time(s) in a row); trying again in {} ms",
              failures,
              settings.poll().toMillis(),
              e);
        }
        claimNow = true;
        awaitNext(settings.poll().toNanos());
        if (e instanceof VirtualMachineError fatal && failures > 10) {
          throw fatal;
        }
      }
    }
  }

  /**
   * One turn, for a {@link #manual} engine: claims what is due, marks started what is due within
   * the prestart, sends what is due now, closes runs past their deadline.
   */
  public void tick() {
    if (!manual) {
      throw new IllegalStateException("tick() drives a manual engine; this one has its own loop");
    }
    claimNow = true;
    fullClaimNow = true; // a tick stands for a poll
    nextBurstLookNanos = System.nanoTime();
    nextExpiryNanos = 0;
    // a full turn: claims until nothing more is due, starts and sends all that is due
    for (int i = 0; i < 1_000 && turn() == 0 && (claimNow || held.peek() != null); i++) {
      if (!claimNow && held.peek().fireAt().isAfter(clock.instant().plus(settings.prestart()))) {
        break;
      }
    }
  }

  /** One turn of the loop; returns how long it may wait before the next one. */
  private long turn() {
    loopTurns.incrementAndGet();
    Instant now = clock.instant();
    if (lastTick != null && Duration.between(lastTick, now).compareTo(PAUSE) > 0) {
      awakeSince = now;
      log.info(
          "engine {} did not run for {} s; instants missed meanwhile catch up by policy",
          settings.nodeId(),
          Duration.between(lastTick, now).toSeconds());
    }
    lastTick = now;
    boolean claimed = false;
    boolean timed = System.nanoTime() - nextClaimNanos >= 0;
    if (claimNow || timed) {
      claimNow = false;
      long t0 = System.nanoTime();
      claimed = claim(now, timed);
      log.debug("claimed in {} ms; {} held", (System.nanoTime() - t0) / 1_000_000, held.size());
      nextClaimNanos = System.nanoTime() + settings.poll().toNanos();
    }
    if (System.nanoTime() - nextRenewNanos >= 0) {
      renew(now);
      nextRenewNanos = System.nanoTime() + settings.lease().toNanos() / 3;
    }
    boolean more = startDue(clock.instant());
    if (manual) {
      armed.sendDue();
    }
    if (System.nanoTime() - nextExpiryNanos >= 0) {
      nextExpiryNanos = System.nanoTime() + settings.poll().toNanos();
      expireOverdue(clock.instant());
    }
    if (claimed) {
      claimNow = true;
    }
    return claimed || more ? 0 : nanosToNextEvent();
  }

  /** Claims what is due within the lookahead; true when a batch was full and more may wait. */
  private boolean claim(Instant now, boolean timed) {
    int room = maxHeld() - held.size() - waiting.size();
    if (room <= 0) {
      return false;
    }
    int limit = Math.min(room, settings.batchSize());
    // The claim after a wake-up (a schedule changed) and the timed claim of every
    // FULL_CLAIM_POLLS-th poll look at everything due: rows may have become free behind what this
    // node claimed (a dead node's, one given back, one edited to fire sooner). The other claims
    // look only past what this node has claimed, instead of reading its own held rows again.
    boolean full =
        fullClaimNow
            || claimedThrough == null
            || (timed && System.nanoTime() - nextFullClaimNanos >= 0);
    fullClaimNow = false;
    if (full) {
      tenantLimits.refresh();
      nextFullClaimNanos = System.nanoTime() + settings.poll().toNanos() * FULL_CLAIM_POLLS;
    }
    boolean look = System.nanoTime() - nextBurstLookNanos >= 0;
    if (look) {
      nextBurstLookNanos = System.nanoTime() + settings.poll().toNanos();
    }
    Instant dueBy = claimHorizon(now, look);
    Instant leaseUntil = dueBy.plus(settings.lease());
    long claimStarted = System.nanoTime();
    Instant dueFrom = full ? Instant.EPOCH : claimedThrough;
    int claimedSchedules;
    if (startsAsClaimed()) {
      claimedSchedules = claimAndStart(dueFrom, dueBy, now, leaseUntil, limit);
    } else {
      List<ClaimedSchedule> schedules =
          store.claimSchedules(
              settings.nodeId(), dueFrom, dueBy, now, leaseUntil, limit, ownBefore);
      markClaimed(
          schedules.size(),
          limit,
          schedules.isEmpty() ? dueBy : schedules.get(schedules.size() - 1).nextFireAt(),
          dueBy);
      for (ClaimedSchedule claimed : schedules) {
        held.offer(hold(claimed), leaseUntil);
      }
      claimedSchedules = schedules.size();
    }
    lastClaimFull = claimedSchedules == limit;
    List<ClaimedRun> runs =
        store.claimRuns(settings.nodeId(), dueBy, now, leaseUntil, limit, ownBefore);
    for (ClaimedRun claimed : runs) {
      held.offer(new QueuedRun(claimed, parsed.target(claimed.targetJson())), leaseUntil);
    }
    observer.claimed(claimedSchedules, runs.size(), System.nanoTime() - claimStarted);
    return claimedSchedules == limit || runs.size() == limit;
  }

  /**
   * How far this claim looks: the lookahead, or, while a burst is coming, up to the burst's
   * instant. A burst — more than {@link #BURST_HELD} fires due together — takes longer to mark
   * started than the lookahead leaves (about 0.3 ms a fire on H2), so it is claimed and marked
   * started up to {@link #BURST_LOOKAHEADS} lookaheads ahead and goes out whole at its instant. A
   * steady stream of fires only moves the horizon by the span in which {@link #BURST_HELD} more
   * fall due. With {@code look}, it looks again for a burst first: at most {@link #BURST_HELD}
   * entries of the index of due schedules, once a poll (a wake-up claims at once but does not look
   * again).
   */
  private Instant claimHorizon(Instant now, boolean look) {
    Instant dueBy = now.plus(settings.lookahead());
    if (look) {
      Instant seen =
          store
              .dueCountReached(
                  dueBy,
                  now.plus(settings.lookahead().multipliedBy(BURST_LOOKAHEADS)),
                  BURST_HELD + 1)
              .orElse(null);
      // The fires of a burst this node has begun to start no longer count as due, so a look in
      // the middle of it may see too few left: the burst stays in sight while this node holds
      // more than a burst of work for it and its instant lies beyond the lookahead.
      boolean begun =
          burstDueBy != null
              && burstDueBy.isAfter(dueBy)
              && held.size() + flights.armedCount() > BURST_HELD;
      if (seen != null || !begun) {
        burstDueBy = seen;
      }
    }
    return atLeastToBurst(dueBy);
  }

  /** {@code horizon}, or the instant of a burst coming when that lies beyond it. */
  private Instant atLeastToBurst(Instant horizon) {
    return burstDueBy != null && burstDueBy.isAfter(horizon) ? burstDueBy : horizon;
  }

  private ScheduledFire hold(ClaimedSchedule claimed) {
    return new ScheduledFire(
        claimed,
        parsed.trigger(claimed.triggerJson()),
        parsed.target(claimed.targetJson()),
        parsed.policy(claimed.policyJson()));
  }

  /**
   * Whether claims start their fires in the same transaction: when what this node claims is due
   * within its start horizon anyway — the last claim came back full, or more than a few chunks are
   * held or waiting for their instant — and it is not stopping or at its limit of calls. A fire
   * then writes its schedule's row once instead of twice; an edit applies from the fire after the
   * ones already claimed, as it does for work started a lookahead ahead.
   */
  private boolean startsAsClaimed() {
    return !stopping
        && !saturated()
        && (lastClaimFull || held.size() > BURST_HELD || flights.armedCount() > BURST_HELD);
  }

  /** Claims due schedules and starts them at once; returns how many were claimed. */
  private int claimAndStart(
      Instant dueFrom, Instant dueBy, Instant now, Instant leaseUntil, int limit) {
    Starter.ClaimOutcome claim =
        starter.claimAndStart(
            dueFrom, dueBy, leaseUntil, limit, ownBefore, this::hold, now, awakeSince);
    markClaimed(claim.claimed(), limit, claim.lastClaimed().orElse(dueBy), dueBy);
    taken(claim.outcome(), List.of(), leaseUntil);
    return claim.claimed();
  }

  /**
   * Moves the claim mark: a claim that took fewer than {@code limit} took everything due by {@code
   * dueBy}; a full one got as far as the next fire of the last schedule it took.
   */
  private void markClaimed(int claimed, int limit, Instant lastClaimed, Instant dueBy) {
    claimedThrough = claimed < limit ? dueBy : lastClaimed;
  }

  /** Too many calls under way, or too many results waiting to be written, to start more. */
  private boolean saturated() {
    return flights.armedCount() + flights.liveCount() >= maxPendingCalls
        || writer.pending() >= MAX_UNWRITTEN_RESULTS;
  }

  private int maxHeld() {
    return Math.max(settings.batchSize() * 4, 20_000);
  }

  /** Renews the leases of held work that runs out within two thirds of the lease. */
  private void renew(Instant now) {
    Instant until = now.plus(settings.lookahead()).plus(settings.lease());
    List<Held> ending =
        held.leasesEndingBefore(now.plus(settings.lease().multipliedBy(2).dividedBy(3)));
    if (ending.isEmpty()) {
      return;
    }
    List<Lease> schedules = new ArrayList<>();
    List<Lease> runs = new ArrayList<>();
    for (Held item : ending) {
      (item instanceof ScheduledFire ? schedules : runs).add(new Lease(item.id(), item.epoch()));
    }
    Set<UUID> lost = store.renew(settings.nodeId(), schedules, runs, until);
    for (UUID id : lost) {
      held.drop(id);
      waiting.drop(id);
    }
    List<UUID> renewed = ending.stream().map(Held::id).filter(id -> !lost.contains(id)).toList();
    held.renewed(renewed, until);
    waiting.renewed(renewed, until);
    if (!lost.isEmpty()) {
      log.info("{} held claim(s) were changed or taken over; dropped", lost.size());
    }
  }

  /**
   * Marks started, in chunks, the work due within the prestart, and sends what is due now. Returns
   * true when it stopped early with more to do.
   */
  private boolean startDue(Instant now) {
    if (stopping) {
      return false;
    }
    Instant horizon = horizon(now);
    // a pass starts when the earliest held work is half a prestart away, and then takes all
    // within the whole prestart: a steady trickle of fires shares a few transactions a second
    Held head = held.peek();
    boolean headDue = head != null && !head.fireAt().isAfter(now.plus(halfPrestart()));
    boolean instantDue =
        (!atInstant.isEmpty() && !atInstant.peek().fireAt().isAfter(now))
            || (waiting.peek() != null && !waiting.peek().fireAt().isAfter(now));
    if (!headDue && !instantDue && held.size() <= BURST_HELD) {
      return false;
    }
    int chunks = 0;
    while (true) {
      if (saturated()) {
        return false; // the targets or the result writer are the limit: start more once they catch
        // up
      }
      List<Held> chunk = new ArrayList<>();
      while (chunk.size() < START_CHUNK
          && !atInstant.isEmpty()
          && !atInstant.peek().fireAt().isAfter(now)) {
        chunk.add(atInstant.poll());
      }
      while (chunk.size() < START_CHUNK
          && waiting.peek() != null
          && !waiting.peek().fireAt().isAfter(now)) {
        chunk.add(waiting.poll());
      }
      while (chunk.size() < START_CHUNK
          && held.peek() != null
          && !held.peek().fireAt().isAfter(horizon)) {
        chunk.add(held.poll());
      }
      if (chunk.isEmpty()) {
        return false;
      }
      long t0 = System.nanoTime();
      start(chunk, now);
      log.debug(
          "started {} in {} ms; {} armed, {} calls under way",
          chunk.size(),
          (System.nanoTime() - t0) / 1_000_000,
          flights.armedCount(),
          flights.liveCount());
      if (++chunks >= 8) {
        return true; // let the loop send and claim between long runs of starts
      }
      now = clock.instant();
      horizon = horizon(now);
    }
  }

  /** How long before the earliest held work's instant a pass of starts begins. */
  private Duration halfPrestart() {
    return settings.prestart().dividedBy(2);
  }

  /**
   * How far ahead work is marked started: the prestart, or, when more is held than a few chunks (a
   * burst, or a node near its limit), the whole lookahead — and a burst coming beyond it up to its
   * instant — so that the marking is done before the instant instead of making the burst late.
   */
  private Instant horizon(Instant now) {
    if (held.size() <= BURST_HELD) {
      return now.plus(settings.prestart());
    }
    return atLeastToBurst(now.plus(settings.lookahead()));
  }

  private void start(List<Held> chunk, Instant now) {
    Starter.Outcome outcome;
    try {
      outcome = starter.start(chunk, now, awakeSince);
    } catch (RuntimeException e) {
      // still leased to this node: hold them again and retry on the next round
      chunk.forEach(held::putBack);
      throw e;
    }
    taken(outcome, chunk, null);
  }

  /**
   * Keeps what a start left: work held back waits, work to decide at its instant waits for it, the
   * rest of {@code chunk} is done; the claim mark moves back to the earliest next instant set, and
   * fires that lost their lease are claimed again at once. Work a claim took and left is leased
   * until {@code claimedUntil}; other work keeps the lease it was held under.
   */
  private void taken(Starter.Outcome outcome, List<Held> chunk, Instant claimedUntil) {
    Set<UUID> kept = new HashSet<>();
    for (Held back : outcome.heldBack()) {
      Instant leased = claimedUntil != null ? claimedUntil : held.leaseOf(back.id());
      waiting.offer(
          back, leased.isBefore(waiting.leaseOf(back.id())) ? leased : waiting.leaseOf(back.id()));
      kept.add(back.id());
    }
    for (Held later : outcome.atInstant()) {
      atInstant.add(later);
      kept.add(later.id());
    }
    for (Held item : chunk) {
      held.done(item.id());
      if (!kept.contains(item.id())) {
        waiting.done(item.id());
      }
    }
    outcome
        .earliestNext()
        .filter(next -> claimedThrough != null && next.isBefore(claimedThrough))
        .ifPresent(next -> claimedThrough = next);
    if (outcome.lost() > 0) {
      // their schedules changed since the claim: claim them again at once, with the change
      log.debug("{} fire(s) not started: their lease was lost", outcome.lost());
      claimNow = true;
    }
  }

  /** Closes runs whose deadline passed (their node died, or an async target never reported). */
  private void expireOverdue(Instant now) {
    int closed = store.results().expireOverdue(now, settings.batchSize(), flights::alive);
    if (closed > 0) {
      log.info("closed {} run(s) past their deadline as timeout", closed);
    }
  }

  /** A node started again under the same id closes what its previous life left running. */
  private void closeOrphans() {
    try {
      int closed = store.results().closeOrphans(settings.nodeId(), clock.instant(), 10_000);
      if (closed > 0) {
        log.warn(
            "closed {} run(s) this node ({}) left running when it last stopped; retried by policy",
            closed,
            settings.nodeId());
      }
    } catch (RuntimeException e) {
      log.warn("could not close runs left from this node's last start: {}", e.getMessage());
    }
  }

  private void written(List<Completion> completions) {
    for (Completion completion : completions) {
      flights.written(completion.run().runId());
    }
    observer.ended(completions);
    if (waitingForRoom) {
      signal(false);
    }
  }

  /**
   * Who watches this engine (the server's metrics); set before {@link #start()}. The observer
   * learns of ended runs, skips, claims and result writes.
   */
  public void observe(EngineObserver value) {
    observer = java.util.Objects.requireNonNull(value, "observer");
    writer.observe(value);
    starter.observe(value);
  }

  /** Calls under way on this node now: armed to go at their instant, or in flight. */
  public int callsInFlight() {
    return flights.armedCount() + flights.liveCount();
  }

  /** Results ended and waiting to be written. */
  public int resultsPending() {
    return writer.pending();
  }

  /** How long until something is due: a claim, a prestart, an armed call, an expiry. */
  private long nanosToNextEvent() {
    long wait = settings.poll().toNanos();
    if (saturated()) {
      // due work waits for room, not for its instant: a turn now would find it due and still not
      // start it, round and round on a core the calls and the writer need. A written result
      // nudges the loop; it looks again soon in any case, as ending calls make room too.
      waitingForRoom = true;
      wait = Math.min(wait, ROOM_RECHECK.toNanos());
    } else {
      waitingForRoom = false;
      Instant now = clock.instant();
      Held next = held.peek();
      if (next != null) {
        wait = Math.min(wait, Duration.between(now, next.fireAt().minus(halfPrestart())).toNanos());
      }
      if (!atInstant.isEmpty()) {
        wait = Math.min(wait, Duration.between(now, atInstant.peek().fireAt()).toNanos());
      }
      if (waiting.peek() != null) {
        wait = Math.min(wait, Duration.between(now, waiting.peek().fireAt()).toNanos());
      }
    }
    wait = Math.min(wait, nextClaimNanos - System.nanoTime());
    return Math.max(0, wait);
  }

  private void awaitNext(long waitNanos) {
    lock.lock();
    try {
      long left = Math.min(waitNanos, settings.poll().toNanos());
      while (!woken && !stopping && left > 0) {
        left = wakeUp.awaitNanos(left);
      }
      woken = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops in order: no more claims; runs marked started but not yet sent are given back (their
   * schedules return to those instants), as are leases on work not started; calls in flight may
   * finish within the grace period (then are interrupted and recorded as failed); results are
   * written. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    wake();
    if (loop.isAlive()) {
      try {
        loop.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    giveBackArmed();
    try {
      int released = store.releaseLeases(settings.nodeId());
      log.info("engine {} stopping: released {} unstarted claim(s)", settings.nodeId(), released);
    } catch (RuntimeException e) {
      log.warn("could not release leases; they run out on their own: {}", e.getMessage());
    }
    sender.stop(settings.shutdownGrace());
    writer.stop(10_000);
    log.info("engine {} stopped after {} fire(s)", settings.nodeId(), sender.sent());
  }

  private void giveBackArmed() {
    List<EngineStore.Unstart> unstarts = armed.stop();
    unstarts.forEach(unstart -> flights.disarm(unstart.runId()));
    try {
      int taken = store.unstart(settings.nodeId(), unstarts);
      if (taken > 0) {
        log.info("gave back {} fire(s) marked started but not yet due", taken);
      }
    } catch (RuntimeException e) {
      log.warn(
          "could not give back {} fire(s) marked started; they are retried after their deadline: {}",
          unstarts.size(),
          e.getMessage());
    }
  }
}
