package dev.chime.engine;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.RunPolicy;
import dev.chime.schedule.Schedule;
import dev.chime.store.Database;
import dev.chime.store.EngineStore;
import dev.chime.store.ResultStore.Completion;
import dev.chime.store.RunRef;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleStore;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The result writer on PostgreSQL when the database says no: a result it refuses is isolated and
 * never holds back the others, and result batches never deadlock with deletes of schedules.
 */
class ResultWriterTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  private Database db;
  private ScheduleStore schedules;
  private RunStore runs;
  private EngineStore store;

  @BeforeEach
  void open() {
    db = Database.open(TestDatabases.postgres());
    schedules = new ScheduleStore(db);
    runs = new RunStore(db);
    store = new EngineStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aResultTheDatabaseRefusesIsIsolatedAndTheOthersAreWritten() {
    List<RunRef> refs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      refs.add(runningRun());
    }
    List<Completion> written = new CopyOnWriteArrayList<>();
    CompletionWriter writer =
        new CompletionWriter(
            store.results(), 100, Duration.ofMillis(200), "node-1", written::addAll, store::ping);
    writer.start();
    try {
      for (int i = 0; i < refs.size(); i++) {
        // a start time no database column can hold: PostgreSQL refuses the whole statement
        Instant started = i == 2 ? Instant.parse("+300000-01-01T00:00:00Z") : T0;
        writer.submit(
            new Completion(
                refs.get(i),
                RunOutcome.success(200, "ok " + i, 5),
                started,
                T0,
                T0.plusSeconds(60)));
      }
      await().until(() -> written.size() == refs.size());
      assertThat(writer.problem()).isEmpty();
    } finally {
      writer.stop(5_000);
    }
    for (int i = 0; i < refs.size(); i++) {
      Run run = runs.get("default", refs.get(i).runId()).orElseThrow();
      if (i == 2) {
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING); // given up: ends at its deadline
      } else {
        assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(run.responseExcerpt()).contains("ok " + i);
      }
    }
  }

  @Test
  void aTargetAnsweringNulBytesHoldsBackNoResult() {
    db.close();
    try (ManualEngine m =
        new ManualEngine(T0, TestDatabases.postgres(), ManualEngine.settings("node-1"))) {
      m.target.answer(
          call ->
              call.path().equals("/nul")
                  ? TargetServer.Answer.bytes(new byte[] {'o', 0, 'k', (byte) 0xFF})
                  : TargetServer.Answer.ok());
      Schedule bad =
          m.insert(
              aSchedule().every(60).nextFireAt(T0.plusSeconds(1)).target(m.target.url("/nul")));
      List<Schedule> good = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        good.add(
            m.insert(
                aSchedule().every(60).nextFireAt(T0.plusSeconds(1)).target(m.target.url("/ok"))));
      }
      m.at(T0.plusSeconds(1));
      m.quiet();

      Run nul = m.runs(bad).get(0);
      assertThat(nul.status()).isEqualTo(RunStatus.SUCCESS);
      assertThat(nul.responseExcerpt()).contains("o\uFFFDk\uFFFD");
      for (Schedule schedule : good) {
        assertThat(m.runs(schedule)).extracting(Run::status).containsExactly(RunStatus.SUCCESS);
      }
    } finally {
      db = Database.open(TestDatabases.h2());
    }
  }

  @Test
  void resultBatchesAndDeletesOfTheirSchedulesNeverDeadlock() throws Exception {
    List<RunRef> refs = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      refs.add(runningRun());
    }
    List<RunRef> shuffled = new ArrayList<>(refs);
    Collections.shuffle(shuffled, new java.util.Random(7));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int part = 0; part < 2; part++) {
        List<RunRef> mine = shuffled.subList(part * 60, part * 60 + 60);
        work.add(
            pool.submit(
                () -> {
                  for (int from = 0; from < mine.size(); from += 20) {
                    List<Completion> batch = new ArrayList<>();
                    for (RunRef ref : mine.subList(from, from + 20)) {
                      batch.add(
                          new Completion(
                              ref, RunOutcome.success(200, "ok", 1), T0, T0, T0.plusSeconds(60)));
                    }
                    Collections.reverse(batch);
                    store.results().complete(batch);
                  }
                  return null;
                }));
      }
      work.add(
          pool.submit(
              () -> {
                for (int i = refs.size() - 1; i >= 0; i -= 2) {
                  schedules.delete(
                      "default",
                      refs.get(i).scheduleId(),
                      ScheduleStore.Writer.CHIME,
                      Instant.now());
                }
                return null;
              }));
      for (Future<?> done : work) {
        done.get(); // throws if any side failed, a deadlock victim included
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < refs.size(); i++) {
      Optional<Run> run = runs.get("default", refs.get(i).runId());
      if (i % 2 == 1) {
        assertThat(run).isEmpty();
      } else {
        assertThat(run.orElseThrow().status()).isEqualTo(RunStatus.SUCCESS);
      }
    }
  }

  /** A schedule with one run marked running, as the engine leaves it before the call ends. */
  private RunRef runningRun() {
    Schedule schedule = aSchedule().every(60).createdAt(T0).build();
    schedules.insert(schedule);
    Run run = Run.started("default", schedule.id(), T0, T0);
    db.inTransaction(
        connection -> {
          try (var insert =
              connection.prepareStatement(
                  "INSERT INTO runs (id, tenant_id, schedule_id, run_key, attempt, origin, status,"
                      + " scheduled_at, started_at, trace_id, created_at, deadline_at, lease_epoch)"
                      + " VALUES (?,?,?,?,1,'schedule','running',?,?,?,?,?,0)")) {
            insert.setString(1, run.id().toString());
            insert.setString(2, run.tenantId());
            insert.setString(3, run.scheduleId().toString());
            insert.setString(4, run.runKey());
            insert.setObject(5, T0.atOffset(ZoneOffset.UTC));
            insert.setObject(6, T0.atOffset(ZoneOffset.UTC));
            insert.setString(7, run.traceId());
            insert.setObject(8, T0.atOffset(ZoneOffset.UTC));
            insert.setObject(9, T0.plusSeconds(60).atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
          }
          return null;
        });
    return new RunRef(
        run.id(),
        schedule.id(),
        "default",
        run.runKey(),
        1,
        RunOrigin.SCHEDULE,
        T0,
        RunPolicy.DEFAULTS);
  }
}
