package dev.chime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.ConflictException;
import dev.chime.engine.Janitor;
import dev.chime.engine.PartitionKeeper;
import dev.chime.engine.RetentionSettings;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunStatus;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TestDatabases;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Runs partitioned by day on a real PostgreSQL: the migration from the plain table, the days made
 * ahead, and retention that drops whole days. Days are placed relative to the database's clock, the
 * one the migration used.
 */
class PostgresRunPartitionsTest {
  private static final Duration DAY = Duration.ofDays(1);
  private final AtomicInteger attempts = new AtomicInteger();

  @Test
  void theMigrationMovesEveryRunOfThePlainTableIntoItsDay() {
    DatabaseSettings settings = TestDatabases.postgres();
    Instant now;
    UUID schedule;
    List<Run> stored = new ArrayList<>();
    List<Map<String, String>> before;
    try (Database old = Database.openBefore(settings, "5")) {
      assertThat(relkind(old)).isEqualTo("r");
      now = databaseNow(old);
      schedule = newSchedule(old);
      stored.add(finished(schedule, RunStatus.SUCCESS, now.minus(DAY.multipliedBy(200))));
      stored.add(finished(schedule, RunStatus.FAILED, now.minus(DAY.multipliedBy(10))));
      Run first = finished(schedule, RunStatus.FAILED, now.minus(DAY.multipliedBy(2)));
      stored.add(first);
      stored.add(retryOf(first, RunStatus.SUCCESS));
      stored.add(unfinished(schedule, RunStatus.RUNNING, now.minusSeconds(3600)));
      stored.add(unfinished(schedule, RunStatus.QUEUED, now.plusSeconds(60)));
      stored.add(finished(schedule, RunStatus.SKIPPED, now.plus(DAY.multipliedBy(30))));
      store(old, stored);
      before = rows(old);
    }

    try (Database db = Database.open(settings)) {
      assertThat(relkind(db)).isEqualTo("p");
      assertThat(rows(db)).containsExactlyElementsOf(before);
      Map<String, String> partitionOf = partitionOfEachRun(db);
      assertThat(partitionOf.get(stored.get(0).id().toString())).startsWith("runs_before_");
      assertThat(partitionOf.get(stored.get(1).id().toString()))
          .isEqualTo(RunPartitions.name(utcDay(stored.get(1).scheduledAt())));
      assertThat(partitionOf.get(stored.get(6).id().toString()))
          .isEqualTo(RunPartitions.DEFAULT_PARTITION);
      RunPartitions partitions = new RunPartitions(db);
      LocalDate today = utcDay(now);
      for (int i = 0; i <= PartitionKeeper.DAYS_AHEAD; i++) {
        assertThat(partitions.list())
            .extracting(RunPartitions.Partition::name)
            .contains(RunPartitions.name(today.plusDays(i)));
      }

      RunStore runs = new RunStore(db);
      assertThat(runs.listBySchedule("default", schedule, Optional.empty(), 100).items())
          .extracting(Run::id)
          .containsExactly(
              stored.get(6).id(),
              stored.get(5).id(),
              stored.get(4).id(),
              stored.get(3).id(),
              stored.get(2).id(),
              stored.get(1).id(),
              stored.get(0).id());
      assertThat(runs.get("default", stored.get(1).id())).isPresent();
      // (run_key, attempt) stays unique, now with the instant it embeds
      Run again = stored.get(3);
      assertThatThrownBy(
              () ->
                  runs.insertQueued(
                      Run.queued(
                          "default",
                          schedule,
                          again.runKey(),
                          again.attempt(),
                          RunOrigin.MANUAL,
                          again.scheduledAt(),
                          now,
                          now)))
          .isInstanceOf(ConflictException.class);
      // deleting the schedule still takes its runs along
      assertThat(new ScheduleStore(db).delete("default", schedule, ScheduleStore.Writer.CHIME, now))
          .isTrue();
      assertThat(rows(db)).isEmpty();
    }
  }

  @Test
  void daysAreMadeAheadOnceAndTakeTheirRunsOutOfTheDefaultPartition() {
    try (Database db = Database.open(TestDatabases.postgres())) {
      RunPartitions partitions = new RunPartitions(db);
      LocalDate far = utcDay(databaseNow(db)).plusDays(100);
      UUID schedule = newSchedule(db);
      Run early = finished(schedule, RunStatus.SUCCESS, instant(far.plusDays(2)).plusSeconds(3600));
      store(db, List.of(early));
      assertThat(partitionOfEachRun(db)).containsValue(RunPartitions.DEFAULT_PARTITION);

      RunPartitions.Change made = partitions.createAhead(far, 7);

      assertThat(made.done()).hasSize(8).contains(RunPartitions.name(far.plusDays(7)));
      assertThat(made.runsMoved()).isEqualTo(1);
      assertThat(partitionOfEachRun(db))
          .containsEntry(early.id().toString(), RunPartitions.name(far.plusDays(2)));
      assertThat(partitions.createAhead(far, 7).done()).isEmpty();

      // two nodes at once: each day is made once, whoever makes it
      LocalDate later = far.plusDays(30);
      List<CompletableFuture<RunPartitions.Change>> both =
          List.of(
              CompletableFuture.supplyAsync(() -> partitions.createAhead(later, 7)),
              CompletableFuture.supplyAsync(() -> new RunPartitions(db).createAhead(later, 7)));
      Set<String> madeOnce = new HashSet<>();
      for (CompletableFuture<RunPartitions.Change> change : both) {
        for (String name : change.join().done()) {
          assertThat(madeOnce.add(name)).as("made twice: " + name).isTrue();
        }
      }
      partitions.createAhead(later, 7); // what a node that gave way makes at its next check
      for (int i = 0; i <= 7; i++) {
        assertThat(partitions.list())
            .extracting(RunPartitions.Partition::name)
            .containsOnlyOnce(RunPartitions.name(later.plusDays(i)));
      }
    }
  }

  @Test
  void retentionDropsWholeOldDaysButKeepsADayWithARunningRun() {
    try (Database db = Database.open(TestDatabases.postgres())) {
      Instant now = databaseNow(db);
      LocalDate base = utcDay(now).minusDays(100);
      RunPartitions partitions = new RunPartitions(db);
      assertThat(partitions.createAhead(base, 2).done()).hasSize(3);
      UUID schedule = newSchedule(db);
      Run old1 = finished(schedule, RunStatus.SUCCESS, instant(base).plusSeconds(60));
      Run old2 = finished(schedule, RunStatus.FAILED, instant(base).plusSeconds(120));
      Run running = unfinished(schedule, RunStatus.RUNNING, instant(base.plusDays(1)));
      Run besideRunning = finished(schedule, RunStatus.SUCCESS, instant(base.plusDays(1)));
      Run lateOne = finishedLate(schedule, instant(base.plusDays(2)), now.minus(DAY));
      Run besideLate = finished(schedule, RunStatus.SUCCESS, instant(base.plusDays(2)));
      store(db, List.of(old1, old2, running, besideRunning, lateOne, besideLate));
      RetentionSettings settings =
          new RetentionSettings(Duration.ofDays(30), 1000, 500, Duration.ofMinutes(1));
      SettableClock clock = new SettableClock(now);

      try (Janitor janitor = new Janitor(new RetentionStore(db), clock, settings, "node-a")) {
        Janitor.RetentionPass pass = janitor.runOnce();

        assertThat(pass.partitionsDropped()).isEqualTo(2);
        assertThat(listed(db, schedule))
            .containsExactlyInAnyOrder(running.id(), besideRunning.id(), lateOne.id());
        assertThat(partitionOfEachRun(db))
            .containsEntry(lateOne.id().toString(), RunPartitions.DEFAULT_PARTITION)
            .containsEntry(running.id().toString(), RunPartitions.name(base.plusDays(1)));
        assertThat(partitions.list())
            .extracting(RunPartitions.Partition::name)
            .contains(RunPartitions.name(base.plusDays(1)))
            .doesNotContain(RunPartitions.name(base), RunPartitions.name(base.plusDays(2)));

        finishOld(db, running.id(), instant(base.plusDays(1)).plusSeconds(5));
        assertThat(janitor.runOnce().partitionsDropped()).isEqualTo(1);
        assertThat(listed(db, schedule)).containsExactly(lateOne.id());

        // the late one goes by its own age, from the default partition, row by row
        clock.advance(Duration.ofDays(30));
        assertThat(janitor.runOnce()).isEqualTo(new Janitor.RetentionPass(1, 0, 0));
        assertThat(listed(db, schedule)).isEmpty();
      }
    }
  }

  @Test
  void aKeeperIsMadeOnlyWhereRunsArePartitioned() {
    try (Database pg = Database.open(TestDatabases.postgres());
        Database h2 = Database.open(TestDatabases.h2())) {
      SettableClock clock = new SettableClock(databaseNow(pg).plus(DAY.multipliedBy(365)));
      assertThat(PartitionKeeper.create(new RunPartitions(h2), clock, "test")).isEmpty();
      try (PartitionKeeper keeper =
          PartitionKeeper.create(new RunPartitions(pg), clock, "test").orElseThrow()) {
        assertThat(keeper.runOnce().done()).hasSize(PartitionKeeper.DAYS_AHEAD + 1);
        assertThat(keeper.runOnce().done()).isEmpty();
      }
    }
  }

  /**
   * A schedule written with the columns of the first schema, since the database may be at a version
   * before later columns (policies, labels) existed.
   */
  private UUID newSchedule(Database db) {
    UUID id = UUID.randomUUID();
    db.inTransaction(
        connection -> {
          try (var insert =
              connection.prepareStatement(
                  "INSERT INTO schedules (id, tenant_id, name, description, enabled, trigger_type,"
                      + " trigger_json, target_json, payload_json, created_at, updated_at)"
                      + " VALUES (?, 'default', ?, '', TRUE, 'interval',"
                      + " '{\"type\":\"interval\",\"seconds\":60}',"
                      + " '{\"type\":\"http\",\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/h\"}',"
                      + " 'null', now(), now())")) {
            insert.setString(1, id.toString());
            insert.setString(2, "schedule-" + id);
            insert.executeUpdate();
          }
          return null;
        });
    return id;
  }

  private static void store(Database db, List<Run> runs) {
    db.inTransaction(
        connection -> {
          RunStore.insert(
              connection, db.dialect(), runs.stream().map(RunStore.NewRun::of).toList());
          return null;
        });
  }

  private static List<UUID> listed(Database db, UUID schedule) {
    return new RunStore(db)
        .listBySchedule("default", schedule, Optional.empty(), 100).items().stream()
            .map(Run::id)
            .toList();
  }

  private static void finishOld(Database db, UUID run, Instant finishedAt) {
    db.inTransaction(
        connection -> {
          try (var update =
              connection.prepareStatement(
                  "UPDATE runs SET status = 'success', finished_at = ? WHERE id = ?")) {
            db.dialect().setInstant(update, 1, finishedAt);
            update.setString(2, run.toString());
            return update.executeUpdate();
          }
        });
  }

  private static String relkind(Database db) {
    return query(db, "SELECT relkind FROM pg_class WHERE oid = 'runs'::regclass").get(0).get(0);
  }

  private static Instant databaseNow(Database db) {
    return Instant.parse(
        query(db, "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
            .get(0)
            .get(0));
  }

  private static Map<String, String> partitionOfEachRun(Database db) {
    Map<String, String> partitionOf = new LinkedHashMap<>();
    for (List<String> row : query(db, "SELECT id, tableoid::regclass::text FROM runs")) {
      partitionOf.put(row.get(0), row.get(1));
    }
    return partitionOf;
  }

  /** Every run, every column as text, in id order. */
  private static List<Map<String, String>> rows(Database db) {
    return db.inTransaction(
        connection -> {
          List<Map<String, String>> rows = new ArrayList<>();
          try (Statement statement = connection.createStatement();
              ResultSet result = statement.executeQuery("SELECT * FROM runs ORDER BY id")) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
              Map<String, String> row = new LinkedHashMap<>();
              for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.put(meta.getColumnName(i), result.getString(i));
              }
              rows.add(row);
            }
          }
          return rows;
        });
  }

  private static List<List<String>> query(Database db, String sql) {
    return db.inTransaction(
        connection -> {
          List<List<String>> rows = new ArrayList<>();
          try (Statement statement = connection.createStatement();
              ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
              List<String> row = new ArrayList<>();
              for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                row.add(result.getString(i));
              }
              rows.add(row);
            }
          }
          return rows;
        });
  }

  private static LocalDate utcDay(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  private static Instant instant(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** A run that ended one second after its scheduled instant. */
  private Run finished(UUID schedule, RunStatus status, Instant scheduledAt) {
    return run(
        schedule,
        status,
        scheduledAt,
        Optional.of(scheduledAt),
        Optional.of(scheduledAt.plusSeconds(1)));
  }

  private Run finishedLate(UUID schedule, Instant scheduledAt, Instant finishedAt) {
    return run(
        schedule, RunStatus.SUCCESS, scheduledAt, Optional.of(finishedAt), Optional.of(finishedAt));
  }

  private Run unfinished(UUID schedule, RunStatus status, Instant scheduledAt) {
    return run(
        schedule,
        status,
        scheduledAt,
        status == RunStatus.RUNNING ? Optional.of(scheduledAt) : Optional.empty(),
        Optional.empty());
  }

  private Run retryOf(Run first, RunStatus status) {
    Instant at = first.finishedAt().orElseThrow().plusSeconds(30);
    return new Run(
        UUID.randomUUID(),
        first.tenantId(),
        first.scheduleId(),
        first.runKey(),
        first.attempt() + 1,
        RunOrigin.SCHEDULE,
        status,
        first.scheduledAt(),
        Optional.of(at),
        Optional.of(at.plusSeconds(1)),
        OptionalLong.of(1000),
        OptionalInt.of(200),
        Optional.empty(),
        Optional.empty(),
        Optional.of("ok"),
        Optional.empty(),
        Optional.of(at),
        "0af7651916cd43dd8448eb211c80319c",
        at);
  }

  private Run run(
      UUID schedule,
      RunStatus status,
      Instant scheduledAt,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt) {
    return new Run(
        UUID.randomUUID(),
        "default",
        schedule,
        Run.runKey(schedule, scheduledAt),
        attempts.incrementAndGet(),
        RunOrigin.SCHEDULE,
        status,
        scheduledAt,
        startedAt,
        finishedAt,
        finishedAt.map(f -> OptionalLong.of(1000)).orElse(OptionalLong.empty()),
        finishedAt.map(f -> OptionalInt.of(500)).orElse(OptionalInt.empty()),
        finishedAt.map(f -> "http_status"),
        finishedAt.map(f -> "HTTP 500"),
        finishedAt.map(f -> "{\"error\":\"x\"}"),
        Optional.empty(),
        status == RunStatus.QUEUED ? Optional.of(scheduledAt) : Optional.empty(),
        "0af7651916cd43dd8448eb211c80319c",
        scheduledAt);
  }
}
