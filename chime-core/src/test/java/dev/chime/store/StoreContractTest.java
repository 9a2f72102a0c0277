package dev.chime.store;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chime.ConflictException;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.store.EngineStore.ClaimedSchedule;
import dev.chime.store.EngineStore.ScheduleStart;
import dev.chime.store.ResultStore.Completion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every database must do the same way. Runs once per dialect: each subclass gives a fresh
 * database. Tests use their own schedules, so they share one database per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

  private Database db;
  private ScheduleStore schedules;
  private RunStore runs;
  private EngineStore engine;

  abstract DatabaseSettings settings();

  @BeforeAll
  void open() {
    db = Database.open(settings());
    schedules = new ScheduleStore(db);
    runs = new RunStore(db);
    engine = new EngineStore(db);
  }

  @AfterAll
  void close() {
    db.close();
  }

  /** The database under test, for checks of one database's own schema. */
  Database database() {
    return db;
  }

  @Test
  void aScheduleComesBackAsItWasStored() {
    Schedule schedule =
        aSchedule()
            .cron("0 9 * * 1-5", "Asia/Shanghai")
            .payload("{\"n\":[1,2,3],\"s\":\"\u00e9\u4e2d\"}")
            .createdAt(T0)
            .build();
    schedules.insert(schedule);

    assertThat(schedules.get("default", schedule.id())).contains(schedule);
    assertThat(schedules.get("other-tenant", schedule.id())).isEmpty();
  }

  @Test
  void aDuplicateNameInOneTenantIsAConflict() {
    schedules.insert(aSchedule().named("dup").createdAt(T0).build());

    assertThatThrownBy(() -> schedules.insert(aSchedule().named("dup").createdAt(T0).build()))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("'dup' already exists");
  }

  @Test
  void listingPagesInCreationOrderWithFilters() {
    String prefix = "page-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      var builder = aSchedule().named(prefix + i).createdAt(T0.plusSeconds(i));
      if (i % 2 == 1) {
        builder.disabled();
      }
      Schedule schedule = builder.build();
      schedules.insert(schedule);
      ids.add(schedule.id());
    }
    List<UUID> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Schedule> page =
          schedules.list(
              "default",
              new ScheduleQuery(Optional.empty(), Optional.of(prefix.toUpperCase()), cursor, 3));
      page.items().forEach(s -> seen.add(s.id()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(seen).containsExactlyElementsOf(ids);

    Page<Schedule> enabledOnly =
        schedules.list(
            "default",
            new ScheduleQuery(Optional.of(true), Optional.of(prefix), Optional.empty(), 100));
    assertThat(enabledOnly.items())
        .extracting(s -> s.spec().name())
        .containsExactly(prefix + 0, prefix + 2, prefix + 4, prefix + 6);
  }

  @Test
  void theNameFilterTreatsLikeWildcardsAsText() {
    schedules.insert(aSchedule().named("100% sure_" + UUID.randomUUID()).createdAt(T0).build());
    schedules.insert(aSchedule().named("1000 sureX" + UUID.randomUUID()).createdAt(T0).build());

    Page<Schedule> page =
        schedules.list(
            "default",
            new ScheduleQuery(Optional.empty(), Optional.of("0% sure_"), Optional.empty(), 100));
    assertThat(page.items()).extracting(s -> s.spec().name()).allMatch(n -> n.startsWith("100%"));
    assertThat(page.items()).hasSize(1);
  }

  @Test
  void aClaimTakesDueSchedulesOnceAndAnUpdateFencesTheHolderOut() {
    Instant now = Instant.parse("2031-01-01T00:00:00Z");
    Schedule due = aSchedule().every(60).nextFireAt(now.plusMillis(500)).createdAt(T0).build();
    Schedule later = aSchedule().every(60).nextFireAt(now.plusSeconds(30)).createdAt(T0).build();
    schedules.insert(due);
    schedules.insert(later);

    List<ClaimedSchedule> first =
        engine.claimSchedules("node-a", now.plusSeconds(2), now, now.plusSeconds(30), 100, now);
    List<ClaimedSchedule> second =
        engine.claimSchedules("node-b", now.plusSeconds(2), now, now.plusSeconds(30), 100, now);

    assertThat(first).extracting(ClaimedSchedule::id).contains(due.id()).doesNotContain(later.id());
    assertThat(second).extracting(ClaimedSchedule::id).doesNotContain(due.id());

    ClaimedSchedule claim =
        first.stream().filter(c -> c.id().equals(due.id())).findFirst().orElseThrow();
    schedules.update(
        "default",
        due.id(),
        now,
        current ->
            new ScheduleStore.Change(current.spec(), current.nextFireAt(), current.health()));
    Run run = runningRun(due.id(), claim.nextFireAt(), now);
    Set<UUID> started =
        startOne(starting(due.id(), claim.leaseEpoch(), Optional.empty(), run), now);

    assertThat(started).isEmpty();
    assertThat(runs.get("default", run.id())).isEmpty();
  }

  @Test
  void aClaimAfterAnEditCarriesTheEditedDefinitionAndOneWithoutAnEditTheStoredOne() {
    Instant now = Instant.parse("2031-06-01T00:00:00Z");
    Schedule due = aSchedule().every(60).payload("{\"v\":1}").nextFireAt(now).createdAt(T0).build();
    schedules.insert(due);
    // a node claims it (and keeps its definition), then gives its lease back unused
    assertThat(payloadClaimedBy("node-edit", due.id(), now)).contains("{\"v\":1}");
    engine.releaseLeases("node-edit");
    assertThat(payloadClaimedBy("node-edit", due.id(), now)).contains("{\"v\":1}");

    // an edit in the same instant (a fake clock does not move) changes the definition
    schedules.update(
        "default",
        due.id(),
        now,
        current ->
            new ScheduleStore.Change(
                new ScheduleSpec(
                    current.spec().name(),
                    current.spec().description(),
                    true,
                    current.spec().trigger(),
                    current.spec().target(),
                    "{\"v\":2}",
                    current.spec().policy(),
                    current.spec().labels()),
                current.nextFireAt(),
                current.health()));

    assertThat(payloadClaimedBy("node-edit", due.id(), now)).contains("{\"v\":2}");
  }

  /** The payload of {@code id} as a claim by {@code node} returns it, if that claim took it. */
  private Optional<String> payloadClaimedBy(String node, UUID id, Instant now) {
    return engine.claimSchedules(node, now, now, now, now.plusSeconds(30), 1000, now).stream()
        .filter(c -> c.id().equals(id))
        .map(ClaimedSchedule::payloadJson)
        .findFirst();
  }

  @Test
  void aStartCountsTheRunAnotherNodeIsStartingForTheSameScheduleAtThatMoment() throws Exception {
    Instant now = Instant.parse("2034-01-01T00:00:00Z");
    Schedule due = aSchedule().every(60).nextFireAt(now).createdAt(T0).build();
    ClaimedSchedule claim = insertAndClaim(due, now);
    Run run = runningRun(due.id(), now, now);

    // node b starts a queued run of the same schedule while node a starts its fire
    EngineStore.Activity seenByB = startWhileAnotherStarts(claim, run, due.id(), now);

    assertThat(seenByB.running().get(due.id())).containsExactly(run.id());
  }

  @Test
  void aStartCountsTheRunAnotherNodeIsStartingForTheSameTenantAtThatMoment() throws Exception {
    Instant now = Instant.parse("2035-01-01T00:00:00Z");
    Schedule due = aSchedule().every(60).nextFireAt(now).createdAt(T0).build();
    Schedule other = aSchedule().every(60).createdAt(T0).build();
    schedules.insert(other);
    ClaimedSchedule claim = insertAndClaim(due, now);
    Run run = runningRun(due.id(), now, now);
    int before = runningOfDefaultTenant(now);

    // node b starts a run of another schedule of the tenant while node a starts its fire
    EngineStore.Activity seenByB = startWhileAnotherStarts(claim, run, other.id(), now);

    assertThat(seenByB.byTenant().get("default")).isEqualTo(before + 1);
  }

  @Test
  void aNodesOwnRunsAreNamedAsItsOwnAndLeftOutOfItsCountOfTheTenantsRuns() {
    Instant now = Instant.parse("2036-01-01T00:00:00Z");
    Schedule due = aSchedule().every(60).nextFireAt(now).createdAt(T0).build();
    ClaimedSchedule claim = insertAndClaim(due, now);
    int beforeA = activityOf("node-a", due.id(), now).byTenant().getOrDefault("default", 0);
    int beforeB = activityOf("node-b", due.id(), now).byTenant().getOrDefault("default", 0);
    Run run = runningRun(due.id(), now, now);
    assertThat(startOne(starting(due.id(), claim.leaseEpoch(), Optional.empty(), run), now))
        .containsExactly(run.id());

    // node a knows its own calls: the run is named as its own and its tenant count leaves it out;
    // to any other node it is a run in flight of the tenant
    EngineStore.Activity seenByA = activityOf("node-a", due.id(), now);
    assertThat(seenByA.running().get(due.id())).containsExactly(run.id());
    assertThat(seenByA.own()).containsExactly(run.id());
    assertThat(seenByA.byTenant().getOrDefault("default", 0)).isEqualTo(beforeA);
    EngineStore.Activity seenByB = activityOf("node-b", due.id(), now);
    assertThat(seenByB.own()).isEmpty();
    assertThat(seenByB.byTenant().get("default")).isEqualTo(beforeB + 1);
  }

  @Test
  void theTenantCountOfANodeTakesInEveryOtherOwnerWhereverItSortsAndNoneOfItsOwn() {
    Instant now = Instant.parse("2036-01-02T00:00:00Z");
    // owners sorting just before "node-a", just after it (a longer text it begins), far before and
    // far after: the count reads the index of running runs by owner on either side of its own
    List<String> owners = List.of("node-a", "node-", "node-`", "node-a0", "node-b", "a", "zz");
    UUID probe = UUID.randomUUID();
    Map<String, Integer> before = new HashMap<>();
    for (String owner : owners) {
      before.put(owner, activityOf(owner, probe, now).byTenant().getOrDefault("default", 0));
    }
    for (String owner : owners) {
      Schedule due = aSchedule().every(60).nextFireAt(now).createdAt(T0).build();
      schedules.insert(due);
      ClaimedSchedule claim =
          engine.claimSchedules(owner, now, now, now.plusSeconds(30), 1000, now).stream()
              .filter(c -> c.id().equals(due.id()))
              .findFirst()
              .orElseThrow();
      Run run = runningRun(due.id(), now, now);
      ScheduleStart start = starting(due.id(), claim.leaseEpoch(), Optional.empty(), run);
      assertThat(
              engine
                  .start(
                      owner,
                      Set.of(due.id()),
                      Set.of("default"),
                      activity -> new EngineStore.StartWrites(List.of(start), List.of(), List.of()),
                      now)
                  .started())
          .containsExactly(run.id());
    }

    for (String owner : owners) {
      assertThat(activityOf(owner, probe, now).byTenant().get("default"))
          .as("runs in flight of the tenant on nodes other than %s", owner)
          .isEqualTo(before.get(owner) + owners.size() - 1);
    }
  }

  private EngineStore.Activity activityOf(String node, UUID schedule, Instant now) {
    AtomicReference<EngineStore.Activity> seen = new AtomicReference<>();
    engine.start(
        node,
        Set.of(schedule),
        Set.of("default"),
        activity -> {
          seen.set(activity);
          return new EngineStore.StartWrites(List.of(), List.of(), List.of());
        },
        now);
    return seen.get();
  }

  private int runningOfDefaultTenant(Instant now) {
    AtomicReference<EngineStore.Activity> seen = new AtomicReference<>();
    engine.start(
        "node-c",
        Set.of(UUID.randomUUID()),
        Set.of("default"),
        activity -> {
          seen.set(activity);
          return new EngineStore.StartWrites(List.of(), List.of(), List.of());
        },
        now);
    return seen.get().byTenant().getOrDefault("default", 0);
  }

  /**
   * Node a starts {@code run} of {@code claim} and holds its transaction open; node b's start of
   * {@code bSchedule} must wait for a's to commit. Returns what b saw in flight.
   */
  private EngineStore.Activity startWhileAnotherStarts(
      ClaimedSchedule claim, Run run, UUID bSchedule, Instant now) throws Exception {
    CountDownLatch aDecided = new CountDownLatch(1);
    CountDownLatch aMayCommit = new CountDownLatch(1);
    AtomicReference<EngineStore.Activity> seenByB = new AtomicReference<>();
    ExecutorService nodes = Executors.newFixedThreadPool(2);
    try {
      Future<Set<UUID>> a =
          nodes.submit(
              () ->
                  engine
                      .start(
                          "node-a",
                          Set.of(claim.id()),
                          Set.of("default"),
                          activity -> {
                            aDecided.countDown();
                            awaitQuietly(aMayCommit);
                            return new EngineStore.StartWrites(
                                List.of(
                                    starting(
                                        claim.id(),
                                        claim.leaseEpoch(),
                                        Optional.of(now.plusSeconds(60)),
                                        run)),
                                List.of(),
                                List.of());
                          },
                          now)
                      .started());
      assertThat(aDecided.await(10, TimeUnit.SECONDS)).isTrue();
      Future<?> b =
          nodes.submit(
              () ->
                  engine.start(
                      "node-b",
                      Set.of(bSchedule),
                      Set.of("default"),
                      activity -> {
                        seenByB.set(activity);
                        return new EngineStore.StartWrites(List.of(), List.of(), List.of());
                      },
                      now));
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !b.isDone());
      aMayCommit.countDown();

      assertThat(a.get(10, TimeUnit.SECONDS)).containsExactly(run.id());
      b.get(10, TimeUnit.SECONDS);
      return seenByB.get();
    } finally {
      aMayCommit.countDown();
      nodes.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void theInstantByWhichSoManySchedulesFallDueCountsEnabledOnesInItsSpanWhoeverHoldsThem() {
    Instant t = Instant.parse("2044-07-01T00:00:00Z");
    for (Instant at :
        List.of(
            t,
            t.plusSeconds(1),
            t.plusSeconds(2),
            t.plusMillis(3_000).plusNanos(250_000),
            t.plusSeconds(10))) {
      schedules.insert(aSchedule().every(60).nextFireAt(at).createdAt(T0).build());
    }
    schedules.insert(
        aSchedule().every(60).disabled().nextFireAt(t.plusMillis(1_500)).createdAt(T0).build());
    // held by a node: still counted, a burst is coming whoever claimed it
    engine.claimSchedules("node-a", t.plusSeconds(1), t.plusSeconds(1), t.plusSeconds(60), 2, t);

    assertThat(engine.dueCountReached(t, t.plusSeconds(5), 1)).contains(t.plusSeconds(1));
    assertThat(engine.dueCountReached(t, t.plusSeconds(5), 3))
        .contains(t.plusMillis(3_000).plusNanos(250_000));
    assertThat(engine.dueCountReached(t, t.plusSeconds(5), 4)).isEmpty();
    assertThat(engine.dueCountReached(t, t.plusSeconds(10), 4)).contains(t.plusSeconds(10));
    assertThat(engine.dueCountReached(t.minusNanos(1_000), t.plusSeconds(10), 5))
        .contains(t.plusSeconds(10));
  }

  @Test
  void anExpiredLeaseCanBeClaimedByAnotherNode() {
    Instant now = Instant.parse("2032-01-01T00:00:00Z");
    Schedule due = aSchedule().every(60).nextFireAt(now).createdAt(T0).build();
    schedules.insert(due);

    engine.claimSchedules("node-a", now, now, now.plusSeconds(5), 1000, now);
    Instant later = now.plusSeconds(6);
    List<ClaimedSchedule> taken =
        engine.claimSchedules("node-b", later, later, later.plusSeconds(5), 1000, later);

    assertThat(taken).extracting(ClaimedSchedule::id).contains(due.id());
  }

  @Test
  void aStartedFireRecordsItsRunAndMovesTheSchedule() {
    Instant now = Instant.parse("2033-01-01T00:00:00Z");
    Schedule due = aSchedule().every(60).nextFireAt(now).createdAt(T0).build();
    ClaimedSchedule claim = insertAndClaim(due, now);
    Run run = runningRun(due.id(), now, now);

    Set<UUID> started =
        startOne(
            starting(due.id(), claim.leaseEpoch(), Optional.of(now.plusSeconds(60)), run), now);
    engine
        .results()
        .complete(
            List.of(
                new Completion(
                    ref(run),
                    RunOutcome.success(204, "done", 12),
                    now,
                    now.plusMillis(12),
                    now.plusSeconds(3600))));

    assertThat(started).containsExactly(run.id());
    Schedule moved = schedules.get("default", due.id()).orElseThrow();
    assertThat(moved.nextFireAt()).contains(now.plusSeconds(60));
    assertThat(moved.lastFireAt()).contains(now);
    Run finished = runs.get("default", run.id()).orElseThrow();
    assertThat(finished.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(finished.httpStatus()).hasValue(204);
    assertThat(finished.durationMs()).hasValue(12);
    assertThat(finished.finishedAt()).contains(now.plusMillis(12));
    assertThat(finished.responseExcerpt()).contains("done");
  }

  @Test
  void concurrentClaimsNeverShareASchedule() throws Exception {
    Instant now = Instant.parse("2034-01-01T00:00:00Z");
    List<UUID> ours = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Schedule schedule = aSchedule().every(60).nextFireAt(now).createdAt(T0).build();
      schedules.insert(schedule);
      ours.add(schedule.id());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<ClaimedSchedule>>> claimers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String owner = "node-" + i;
        claimers.add(
            () -> {
              List<ClaimedSchedule> mine = new ArrayList<>();
              for (int round = 0; round < 10; round++) {
                mine.addAll(engine.claimSchedules(owner, now, now, now.plusSeconds(30), 5, now));
              }
              return mine;
            });
      }
      List<UUID> all = new ArrayList<>();
      for (Future<List<ClaimedSchedule>> result : pool.invokeAll(claimers)) {
        result.get().forEach(c -> all.add(c.id()));
      }
      // SKIP LOCKED may pass over rows another claimer holds at that moment; whatever was
      // passed over is still there for the next claim, and nothing is ever claimed twice
      all.addAll(
          engine.claimSchedules("node-last", now, now, now.plusSeconds(30), 1000, now).stream()
              .map(ClaimedSchedule::id)
              .toList());
      assertThat(all).doesNotHaveDuplicates().containsAll(ours);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRunKeyAndAttemptAreUnique() {
    Instant now = Instant.parse("2035-01-01T00:00:00Z");
    Schedule schedule = aSchedule().createdAt(T0).build();
    schedules.insert(schedule);
    Run queued = queuedRun(schedule.id(), now);
    assertThat(runs.insertQueued(queued)).isTrue();

    Run again = queuedRun(schedule.id(), now);
    assertThatThrownBy(() -> runs.insertQueued(again)).isInstanceOf(ConflictException.class);
  }

  /**
   * A start of an instant whose attempt is already on record (a rare race with an edit) writes and
   * sends nothing again. The instant has nanoseconds, which the database rounds when it stores
   * them: the look for keys on record must round it the same way (on H2 it matches it exactly).
   */
  @Test
  void aStartOfAnInstantAlreadyOnRecordIsNotSentAgain() {
    Instant now = Instant.parse("2034-01-01T00:00:00.123456789Z");
    Schedule due = aSchedule().every(60).nextFireAt(now).createdAt(T0).build();
    // claimed a moment later: the stored next fire is rounded up to its microsecond
    ClaimedSchedule claim = insertAndClaim(due, now.plusMillis(1));
    Run recorded = queuedRun(due.id(), now);
    assertThat(runs.insertQueued(recorded)).isTrue();

    Run again = runningRun(due.id(), now, now);
    Set<UUID> started =
        startOne(
            starting(due.id(), claim.leaseEpoch(), Optional.of(now.plusSeconds(60)), again), now);

    assertThat(started).isEmpty();
    assertThat(runs.get("default", again.id())).isEmpty();
    assertThat(runs.get("default", recorded.id())).isPresent();
  }

  @Test
  void runsListNewestFirstInPages() {
    Schedule schedule = aSchedule().createdAt(T0).build();
    schedules.insert(schedule);
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Run run = queuedRun(schedule.id(), T0.plus(Duration.ofMinutes(i)));
      runs.insertQueued(run);
      ids.add(0, run.id());
    }
    List<UUID> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Run> page = runs.listBySchedule("default", schedule.id(), cursor, 2);
      page.items().forEach(r -> seen.add(r.id()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(seen).containsExactlyElementsOf(ids);
  }

  @Test
  void attemptsAtOneInstantListHighestFirstAcrossPages() {
    Schedule schedule = aSchedule().createdAt(T0).build();
    schedules.insert(schedule);
    List<UUID> ids = new ArrayList<>();
    for (int attempt = 1; attempt <= 3; attempt++) {
      Run run =
          Run.queued(
              "default",
              schedule.id(),
              Run.runKey(schedule.id(), T0),
              attempt,
              RunOrigin.SCHEDULE,
              T0,
              T0,
              T0);
      runs.insertQueued(run);
      ids.add(0, run.id());
    }
    List<UUID> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Run> page = runs.listBySchedule("default", schedule.id(), cursor, 1);
      page.items().forEach(r -> seen.add(r.id()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(seen).containsExactlyElementsOf(ids);
  }

  @Test
  void deletingAScheduleDeletesItsRuns() {
    Schedule schedule = aSchedule().createdAt(T0).build();
    schedules.insert(schedule);
    Run run = queuedRun(schedule.id(), T0);
    runs.insertQueued(run);

    assertThat(
            schedules.delete(
                "default",
                schedule.id(),
                ScheduleStore.Writer.CHIME,
                Instant.parse("2026-01-01T00:00:00Z")))
        .isTrue();
    assertThat(runs.get("default", run.id())).isEmpty();
    assertThat(
            schedules.delete(
                "default",
                schedule.id(),
                ScheduleStore.Writer.CHIME,
                Instant.parse("2026-01-01T00:00:00Z")))
        .isFalse();
  }

  private static ScheduleStart starting(
      UUID scheduleId, long epoch, Optional<Instant> next, Run run) {
    return new ScheduleStart(
        scheduleId,
        epoch,
        next,
        run.scheduledAt(),
        Optional.of(new EngineStore.StartedRun(run, run.scheduledAt().plusSeconds(60), "hash")),
        List.of(),
        false);
  }

  private static RunRef ref(Run run) {
    return new RunRef(
        run.id(),
        run.scheduleId(),
        run.tenantId(),
        run.runKey(),
        run.attempt(),
        run.origin(),
        run.scheduledAt(),
        dev.chime.schedule.RunPolicy.DEFAULTS);
  }

  private static Run runningRun(UUID scheduleId, Instant scheduledAt, Instant now) {
    return Run.started("default", scheduleId, scheduledAt, now);
  }

  private static Run queuedRun(UUID scheduleId, Instant scheduledAt) {
    return Run.queued(
        "default",
        scheduleId,
        Run.runKey(scheduleId, scheduledAt),
        1,
        RunOrigin.MANUAL,
        scheduledAt,
        scheduledAt,
        scheduledAt);
  }

  private Set<UUID> startOne(EngineStore.ScheduleStart start, Instant now) {
    return engine
        .start(
            "node-a",
            Set.of(start.scheduleId()),
            Set.of("default"),
            activity -> new EngineStore.StartWrites(List.of(start), List.of(), List.of()),
            now)
        .started();
  }

  private ClaimedSchedule insertAndClaim(Schedule due, Instant now) {
    schedules.insert(due);
    return engine.claimSchedules("node-a", now, now, now.plusSeconds(30), 1000, now).stream()
        .filter(c -> c.id().equals(due.id()))
        .findFirst()
        .orElseThrow();
  }
}
