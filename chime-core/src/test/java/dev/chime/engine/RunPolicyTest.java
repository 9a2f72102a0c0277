package dev.chime.engine;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.dispatch.CallbackTokens;
import dev.chime.run.Run;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.OverlapPolicy;
import dev.chime.schedule.RetryPolicy;
import dev.chime.schedule.RunPolicy;
import dev.chime.schedule.Schedule;
import dev.chime.store.RunStore.CallbackResult;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each run policy and its edge cases, with a clock moved by hand and a real HTTP target. */
class RunPolicyTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  private EngineHarness h = new EngineHarness(T0, 1000);

  @AfterEach
  void stop() {
    h.close();
  }

  private static RunPolicy policy(
      RetryPolicy retry,
      long windowSeconds,
      int maxConcurrency,
      OverlapPolicy overlap,
      OptionalInt autoDisable) {
    return new RunPolicy(
        retry, Duration.ofSeconds(windowSeconds), maxConcurrency, overlap, autoDisable);
  }

  private static RetryPolicy backoff(int attempts, long... seconds) {
    return new RetryPolicy.Backoff(
        attempts, java.util.Arrays.stream(seconds).mapToObj(Duration::ofSeconds).toList());
  }

  @Test
  void aFailedAttemptIsRetriedByTheBackoffListWithTheSameIdempotencyKey() {
    AtomicInteger calls = new AtomicInteger();
    h.target.answer(r -> calls.incrementAndGet() <= 2 ? Answer.status(503) : Answer.ok());
    Schedule schedule =
        h.insert(aSchedule().every(3600).target(h.target.url("/retry")).createdAt(T0));

    h.moveTo(T0.plusSeconds(3600));
    await().until(() -> h.runs(schedule).size() == 2);
    Run second = h.runs(schedule).get(1);
    assertThat(second.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(second.dueAt())
        .contains(h.runs(schedule).get(0).finishedAt().orElseThrow().plusSeconds(30));

    h.moveTo(second.dueAt().orElseThrow());
    await().until(() -> h.runs(schedule).size() == 3);
    h.moveTo(h.runs(schedule).get(2).dueAt().orElseThrow());
    await().until(() -> h.runs(schedule).get(2).status() == RunStatus.SUCCESS);

    List<Run> runs = h.runs(schedule);
    assertThat(runs).extracting(Run::attempt).containsExactly(1, 2, 3);
    assertThat(runs)
        .extracting(Run::status)
        .containsExactly(RunStatus.FAILED, RunStatus.FAILED, RunStatus.SUCCESS);
    assertThat(runs).extracting(Run::runKey).containsOnly(runs.get(0).runKey());
    assertThat(h.target.received("/retry"))
        .extracting(r -> r.header("Idempotency-Key"))
        .containsOnly(runs.get(0).runKey());
    assertThat(h.target.received("/retry"))
        .extracting(r -> r.header("Chime-Attempt"))
        .containsExactly("1", "2", "3");
    // the third attempt waited 60 s, the list's second wait
    assertThat(runs.get(2).dueAt())
        .contains(runs.get(1).finishedAt().orElseThrow().plusSeconds(60));
    Schedule after = h.stored(schedule);
    assertThat(after.health().consecutiveFailures()).isZero();
    assertThat(after.health().lastStatus()).contains("success");
    assertThat(after.nextFireAt()).contains(T0.plusSeconds(7200));
  }

  @Test
  void aRetryByHandWhileAnAutomaticOneWaitsTakesTheNextAttemptNumber() {
    h.target.answerAlways(Answer.status(503));
    Schedule schedule =
        h.insert(aSchedule().every(3600).target(h.target.url("/both")).createdAt(T0));
    h.moveTo(T0.plusSeconds(3600));
    await().until(() -> h.runs(schedule).size() == 2);

    Run first = h.runs(schedule).get(0);
    Run byHand = h.runs.retry("default", first.id(), h.clock.instant());
    assertThat(byHand.attempt()).isEqualTo(3);
    h.settle();
    await().until(() -> h.runs.get("default", byHand.id()).orElseThrow().status().isFinal());
    // the automatic attempt 2 runs at its time; its failure queues attempt 4, not a second 3
    h.moveTo(h.runs(schedule).get(1).dueAt().orElseThrow());
    await().until(() -> h.runs(schedule).stream().anyMatch(r -> r.attempt() == 4));

    assertThat(h.runs(schedule)).extracting(Run::attempt).containsExactly(1, 2, 3, 4);
  }

  @Test
  void aClientErrorIsFinalAndCountsAsAFailureInARow() {
    h.target.answerAlways(Answer.status(404));
    Schedule schedule =
        h.insert(aSchedule().every(3600).target(h.target.url("/gone")).createdAt(T0));

    h.moveTo(T0.plusSeconds(3600));
    await().until(() -> h.finishedRuns(schedule).size() == 1);
    h.settle();

    assertThat(h.runs(schedule)).hasSize(1);
    assertThat(h.stored(schedule).health().consecutiveFailures()).isEqualTo(1);
    assertThat(h.stored(schedule).health().lastStatus()).contains("failed");
  }

  @Test
  void retryAfterIsHonouredButCappedByThePolicy() {
    AtomicInteger calls = new AtomicInteger();
    h.target.answer(
        r ->
            calls.incrementAndGet() == 1
                ? new Answer(503, "{}", Duration.ZERO, false).withBody("busy")
                : Answer.ok());
    h.target.answerHeaders("Retry-After", "7200");
    Schedule schedule =
        h.insert(
            aSchedule()
                .every(3600)
                .policy(policy(backoff(3, 30, 60), 900, 1, OverlapPolicy.SKIP, OptionalInt.empty()))
                .target(h.target.url("/busy"))
                .createdAt(T0));

    h.moveTo(T0.plusSeconds(3600));
    await().until(() -> h.runs(schedule).size() == 2);

    Run first = h.runs(schedule).get(0);
    // Retry-After asked for two hours; the policy's longest wait is 60 s
    assertThat(h.runs(schedule).get(1).dueAt())
        .contains(first.finishedAt().orElseThrow().plusSeconds(60));
  }

  @Test
  void retryAfterShorterThanTheBackoffIsTakenAsIs() {
    AtomicInteger calls = new AtomicInteger();
    h.target.answer(r -> calls.incrementAndGet() == 1 ? Answer.status(429) : Answer.ok());
    h.target.answerHeaders("Retry-After", "5");
    Schedule schedule =
        h.insert(aSchedule().every(3600).target(h.target.url("/slow-down")).createdAt(T0));

    h.moveTo(T0.plusSeconds(3600));
    await().until(() -> h.runs(schedule).size() == 2);

    Run first = h.runs(schedule).get(0);
    assertThat(h.runs(schedule).get(1).dueAt())
        .contains(first.finishedAt().orElseThrow().plusSeconds(5));
  }

  @Test
  void aRetryDueAfterTheNextRegularFireDoesNotDisturbTheRhythm() {
    AtomicInteger calls = new AtomicInteger();
    h.target.answer(r -> calls.incrementAndGet() == 1 ? Answer.status(500) : Answer.ok());
    Schedule schedule =
        h.insert(
            aSchedule()
                .every(60)
                .policy(policy(backoff(2, 90), 900, 1, OverlapPolicy.SKIP, OptionalInt.empty()))
                .target(h.target.url("/rhythm"))
                .createdAt(T0));

    h.moveTo(T0.plusSeconds(60));
    await().until(() -> h.runs(schedule).size() == 2);
    h.moveTo(T0.plusSeconds(120));
    await().until(() -> h.finishedRuns(schedule).size() == 2);
    h.moveTo(T0.plusSeconds(60 + 91));
    await().until(() -> h.finishedRuns(schedule).size() == 3);

    List<Run> runs = h.runs(schedule);
    assertThat(runs)
        .extracting(Run::scheduledAt)
        .containsExactly(T0.plusSeconds(60), T0.plusSeconds(60), T0.plusSeconds(120));
    assertThat(runs).extracting(Run::attempt).containsExactly(1, 2, 1);
    assertThat(h.stored(schedule).nextFireAt()).contains(T0.plusSeconds(180));
  }

  @Test
  void downtimeLongerThanTheWindowSkipsTheOldInstantsAndCatchesUpTheRestOldestFirst() {
    Schedule schedule =
        h.insert(
            aSchedule()
                .every(60)
                .target(h.target.url("/catchup"))
                .createdAt(T0)
                .nextFireAt(T0.plusSeconds(60)));

    // down for an hour: 60 instants passed; the window (900 s) holds the last 15
    Instant now = T0.plusSeconds(3600 + 30);
    h.moveTo(now);
    // catch-up never overlaps itself: each fire waits for the previous one, so time must pass
    await()
        .until(
            () -> {
              h.clock.advance(Duration.ofMillis(50));
              h.engine.wake();
              return h.finishedRuns(schedule).size() == 16;
            });

    List<Run> runs = h.finishedRuns(schedule);
    Run skipped = runs.get(0);
    assertThat(skipped.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(skipped.errorCode()).contains("missed");
    assertThat(skipped.scheduledAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(skipped.errorMessage().orElseThrow())
        .startsWith("45 fires from " + T0.plusSeconds(60));
    assertThat(runs.subList(1, 16)).allMatch(r -> r.status() == RunStatus.SUCCESS);
    assertThat(h.target.received("/catchup"))
        .extracting(r -> Instant.parse(r.header("Chime-Scheduled-At")))
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(46, 60)
                .mapToObj(k -> T0.plusSeconds(60L * k))
                .toList());
    assertThat(h.stored(schedule).nextFireAt()).contains(T0.plusSeconds(3660));
  }

  @Test
  void catchUpWaitsForThePreviousFireInsteadOfSkippingItAsAnOverlap() {
    h.target.answer(r -> new Answer(200, "{}", Duration.ofMillis(300), false));
    Schedule schedule =
        h.insert(
            aSchedule()
                .every(60)
                .target(h.target.url("/serial"))
                .createdAt(T0)
                .nextFireAt(T0.plusSeconds(60)));

    h.moveTo(T0.plusSeconds(180 + 30));
    await()
        .until(
            () -> {
              h.clock.advance(Duration.ofMillis(50));
              h.engine.wake();
              return h.finishedRuns(schedule).size() == 3;
            });

    assertThat(h.finishedRuns(schedule)).extracting(Run::status).containsOnly(RunStatus.SUCCESS);
    List<TargetServer.Received> calls = h.target.received("/serial");
    assertThat(calls.get(1).receivedNanos() - calls.get(0).receivedNanos())
        .isGreaterThanOrEqualTo(300_000_000L);
  }

  @Test
  void aOnceScheduleMissedBeyondTheWindowIsRecordedAndNeverSent() {
    Schedule schedule =
        h.insert(aSchedule().once(T0.plusSeconds(60)).target(h.target.url("/once")).createdAt(T0));

    h.moveTo(T0.plusSeconds(60 + 901));
    await().until(() -> h.finishedRuns(schedule).size() == 1);
    h.settle();

    assertThat(h.finishedRuns(schedule))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(RunStatus.SKIPPED);
              assertThat(r.errorCode()).contains("missed");
            });
    assertThat(h.target.received("/once")).isEmpty();
    assertThat(h.stored(schedule).nextFireAt()).isEmpty();
  }

  @Test
  void catchUpFiresAreSpreadByTheGlobalRate() {
    h.close();
    h = new EngineHarness(T0, 2);
    // overlap allowed, so that only the rate holds fires back
    Schedule schedule =
        h.insert(
            aSchedule()
                .every(60)
                .policy(
                    policy(RetryPolicy.DEFAULT, 900, 1, OverlapPolicy.ALLOW, OptionalInt.empty()))
                .target(h.target.url("/rate"))
                .createdAt(T0)
                .nextFireAt(T0.plusSeconds(60)));

    Instant now = T0.plusSeconds(600 + 30);
    h.moveTo(now);
    await().until(() -> h.target.received("/rate").size() == 2);
    h.settle();
    assertThat(h.target.received("/rate")).hasSize(2);

    h.moveTo(now.plusSeconds(1));
    await().until(() -> h.target.received("/rate").size() == 4);
    h.settle();
    assertThat(h.target.received("/rate")).hasSize(4);
  }

  @Test
  void aTenantAtItsCapWaitsUntilARunEnds() {
    h.close();
    h = new EngineHarness(T0, 1000, 1);
    h.target.answerAlways(Answer.hanging());
    Schedule first = h.insert(aSchedule().every(60).target(h.target.url("/first")).createdAt(T0));
    Schedule second = h.insert(aSchedule().every(60).target(h.target.url("/second")).createdAt(T0));

    h.moveTo(T0.plusSeconds(60));
    await().until(() -> h.target.received().size() >= 1);
    h.settle();
    // a cap of one: the other call waits its turn while the first hangs
    assertThat(h.target.received()).hasSize(1);

    h.target.releaseHanging();
    await().until(() -> h.target.received().size() == 2);
    await().until(() -> h.finishedRuns(first).size() == 1 && h.finishedRuns(second).size() == 1);
  }

  @Test
  void overlapSkipRecordsTheNewInstantWhileOneRuns() {
    h.target.answerAlways(Answer.hanging());
    Schedule schedule = h.insert(overlapping(OverlapPolicy.SKIP, "/skip"));

    h.moveTo(T0.plusSeconds(10));
    await().until(() -> h.target.received("/skip").size() == 1);
    h.moveTo(T0.plusSeconds(20));
    await().until(() -> h.finishedRuns(schedule).size() == 1);

    Run skipped = h.finishedRuns(schedule).get(0);
    assertThat(skipped.status()).isEqualTo(RunStatus.SKIPPED);
    assertThat(skipped.errorCode()).contains("overlap");
    assertThat(skipped.scheduledAt()).isEqualTo(T0.plusSeconds(20));
    assertThat(h.target.received("/skip")).hasSize(1);
  }

  @Test
  void overlapQueueOneKeepsOneWaitingAndSkipsTheRest() {
    AtomicInteger calls = new AtomicInteger();
    h.target.answer(r -> calls.incrementAndGet() == 1 ? Answer.hanging() : Answer.ok());
    Schedule schedule = h.insert(overlapping(OverlapPolicy.QUEUE_ONE, "/queue"));

    h.moveTo(T0.plusSeconds(10));
    await().until(() -> h.target.received("/queue").size() == 1);
    h.moveTo(T0.plusSeconds(20));
    h.moveTo(T0.plusSeconds(30));
    await().until(() -> h.runs(schedule).size() == 3);

    assertThat(h.runs(schedule))
        .extracting(Run::status)
        .containsExactly(RunStatus.RUNNING, RunStatus.QUEUED, RunStatus.SKIPPED);
    h.target.releaseHanging();
    await().until(() -> h.finishedRuns(schedule).size() == 2);
    h.moveTo(T0.plusSeconds(32));
    await().until(() -> h.runs(schedule).get(1).status() == RunStatus.SUCCESS);
    assertThat(h.target.received("/queue"))
        .extracting(r -> r.header("Chime-Scheduled-At"))
        .containsExactly(T0.plusSeconds(10).toString(), T0.plusSeconds(20).toString());
  }

  @Test
  void overlapAllowRunsThemSideBySide() {
    h.target.answerAlways(Answer.hanging());
    Schedule schedule = h.insert(overlapping(OverlapPolicy.ALLOW, "/allow"));

    h.moveTo(T0.plusSeconds(10));
    h.moveTo(T0.plusSeconds(20));
    await().until(() -> h.target.received("/allow").size() == 2);

    assertThat(h.runs(schedule)).extracting(Run::status).containsOnly(RunStatus.RUNNING);
  }

  @Test
  void overlapCancelRunningCancelsTheOldRunAndItsLateAnswerChangesNothing() {
    AtomicInteger calls = new AtomicInteger();
    h.target.answer(r -> calls.incrementAndGet() == 1 ? Answer.hanging() : Answer.ok());
    Schedule schedule = h.insert(overlapping(OverlapPolicy.CANCEL_RUNNING, "/cancel"));

    h.moveTo(T0.plusSeconds(10));
    await().until(() -> h.target.received("/cancel").size() == 1);
    h.moveTo(T0.plusSeconds(20));
    await().until(() -> h.finishedRuns(schedule).size() == 2);
    h.target.releaseHanging();
    h.settle();

    List<Run> runs = h.runs(schedule);
    assertThat(runs.get(0).status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(runs.get(0).errorCode()).contains("overlap");
    assertThat(runs.get(1).status()).isEqualTo(RunStatus.SUCCESS);
  }

  @Test
  void afterTooManyFailuresInARowTheScheduleIsDisabledWithTheReason() {
    h.target.answerAlways(Answer.status(400));
    Schedule schedule =
        h.insert(
            aSchedule()
                .every(60)
                .policy(policy(RetryPolicy.DEFAULT, 900, 1, OverlapPolicy.SKIP, OptionalInt.of(2)))
                .target(h.target.url("/broken"))
                .createdAt(T0));

    h.moveTo(T0.plusSeconds(60));
    await().until(() -> h.finishedRuns(schedule).size() == 1);
    h.moveTo(T0.plusSeconds(120));
    await().until(() -> !h.stored(schedule).spec().enabled());

    Schedule disabled = h.stored(schedule);
    assertThat(disabled.health().consecutiveFailures()).isEqualTo(2);
    assertThat(disabled.health().disabledReason().orElseThrow())
        .startsWith("disabled by Chime after 2 failed run(s) in a row");
    assertThat(disabled.nextFireAt()).isEmpty();
  }

  @Test
  void aCallWhoseNodeDiedIsClosedAsNodeLostAndSentAgainAtOnce() {
    Schedule schedule =
        h.insert(aSchedule().every(3600).target(h.target.url("/lost")).createdAt(T0));
    // another node started this call and died: nobody will write its result
    Run orphan = Run.started("default", schedule.id(), T0.plusSeconds(5), T0.plusSeconds(5));
    insertRunning(orphan, T0.plusSeconds(40), "dead-node");

    h.moveTo(T0.plusSeconds(41));
    await().until(() -> h.target.received("/lost").size() == 1);

    Run closed = h.runs(schedule).get(0);
    assertThat(closed.status()).isEqualTo(RunStatus.FAILED);
    assertThat(closed.errorCode()).contains("node_lost");
    assertThat(closed.errorMessage().orElseThrow()).contains("dead-node");
    // not after the policy's 30 s: the target may never have seen attempt 1
    assertThat(h.target.received("/lost").get(0).header("Chime-Attempt")).isEqualTo("2");
  }

  @Test
  void anAcceptedRunLeftRunningPastItsDeadlineIsClosedAsTimeoutAndRetriedByPolicy() {
    Schedule schedule =
        h.insert(aSchedule().every(3600).target(h.target.url("/orphan")).createdAt(T0));
    // the target accepted this run (202, no node holds it) and never reported back
    Run orphan = Run.started("default", schedule.id(), T0.plusSeconds(5), T0.plusSeconds(5));
    insertRunning(orphan, T0.plusSeconds(40), null);

    h.moveTo(T0.plusSeconds(41));
    await().until(() -> h.runs(schedule).size() == 2);

    Run closed = h.runs(schedule).get(0);
    assertThat(closed.status()).isEqualTo(RunStatus.TIMEOUT);
    assertThat(closed.errorCode()).contains("deadline");
    assertThat(h.runs(schedule).get(1).attempt()).isEqualTo(2);
    assertThat(h.runs(schedule).get(1).status()).isEqualTo(RunStatus.QUEUED);
  }

  @Test
  void anAcceptedRunWaitsForTheCallbackWhichWorksOnce() {
    h.target.answerAlways(Answer.status(202));
    Schedule schedule =
        h.insert(aSchedule().every(3600).target(h.target.url("/async")).createdAt(T0));

    h.moveTo(T0.plusSeconds(3600));
    await().until(() -> h.runs(schedule).get(0).httpStatus().isPresent());
    Run accepted = h.runs(schedule).get(0);
    assertThat(accepted.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(accepted.httpStatus()).hasValue(202);
    TargetServer.Received call = h.target.received("/async").get(0);
    assertThat(call.header("Chime-Callback-Url"))
        .isEqualTo("http://127.0.0.1:1/api/v1/runs/" + accepted.id() + "/complete");
    String token = call.header("Chime-Callback-Token");

    RunOutcome done =
        new RunOutcome(
                RunStatus.SUCCESS,
                OptionalInt.of(202),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0)
            .withResult(Optional.of("{\"rows\":42}"));
    assertThat(
            h.runs.completeByCallback(
                accepted.id(), CallbackTokens.hash("wrong"), done, h.clock.instant()))
        .isEqualTo(CallbackResult.FORBIDDEN);
    assertThat(
            h.runs.completeByCallback(
                accepted.id(), CallbackTokens.hash(token), done, h.clock.instant()))
        .isEqualTo(CallbackResult.COMPLETED);
    assertThat(
            h.runs.completeByCallback(
                accepted.id(), CallbackTokens.hash(token), done, h.clock.instant()))
        .isEqualTo(CallbackResult.FORBIDDEN);
    Run finished = h.runs(schedule).get(0);
    assertThat(finished.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(finished.resultJson()).contains("{\"rows\":42}");
  }

  @Test
  void anAcceptedRunThatNeverReportsTimesOutAtItsAsyncDeadline() {
    h.target.answerAlways(Answer.status(202));
    Schedule schedule =
        h.insert(
            aSchedule()
                .every(7200)
                .policy(policy(backoff(1, 30), 900, 1, OverlapPolicy.SKIP, OptionalInt.empty()))
                .target(h.target.url("/never"))
                .createdAt(T0));

    h.moveTo(T0.plusSeconds(7200));
    await().until(() -> h.runs(schedule).get(0).httpStatus().isPresent());
    h.moveTo(T0.plusSeconds(7200 + 3599));
    assertThat(h.runs(schedule).get(0).status()).isEqualTo(RunStatus.RUNNING);
    h.moveTo(T0.plusSeconds(7200 + 3601));
    await().until(() -> h.runs(schedule).get(0).status() == RunStatus.TIMEOUT);
  }

  private dev.chime.testing.ScheduleBuilder overlapping(OverlapPolicy overlap, String path) {
    return aSchedule()
        .every(10)
        .timeout(Duration.ofSeconds(60))
        .policy(policy(backoff(1, 30), 900, 1, overlap, OptionalInt.empty()))
        .target(h.target.url(path))
        .createdAt(T0);
  }

  private void insertRunning(Run run, Instant deadline, String owner) {
    h.db.inTransaction(
        connection -> {
          try (var insert =
              connection.prepareStatement(
                  "INSERT INTO runs (id, tenant_id, schedule_id, run_key, attempt, origin, status,"
                      + " scheduled_at, started_at, trace_id, created_at, deadline_at, lease_epoch,"
                      + " lease_owner) VALUES (?,?,?,?,1,'schedule','running',?,?,?,?,?,0,?)")) {
            insert.setString(1, run.id().toString());
            insert.setString(2, run.tenantId());
            insert.setString(3, run.scheduleId().toString());
            insert.setString(4, run.runKey());
            insert.setObject(5, run.scheduledAt().atOffset(java.time.ZoneOffset.UTC));
            insert.setObject(6, run.scheduledAt().atOffset(java.time.ZoneOffset.UTC));
            insert.setString(7, run.traceId());
            insert.setObject(8, run.scheduledAt().atOffset(java.time.ZoneOffset.UTC));
            insert.setObject(9, deadline.atOffset(java.time.ZoneOffset.UTC));
            insert.setString(10, owner);
            insert.executeUpdate();
          }
          return null;
        });
  }
}
