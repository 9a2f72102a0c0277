package dev.chime.store;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.schedule.Schedule;
import dev.chime.testing.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The batch insert load tests register schedules with, on every database. */
class ScheduleStoreInsertAllTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestDatabases.EVERY)
  void schedulesInManyChunksComeBackAsStored(String name, Supplier<DatabaseSettings> settings) {
    try (Database db = Database.open(settings.get())) {
      ScheduleStore store = new ScheduleStore(db);
      List<Schedule> batch = schedules("batch-", 2_345);

      store.insertAll(batch);

      assertThat(names(store, "batch-")).hasSize(2_345);
      for (Schedule schedule : List.of(batch.get(0), batch.get(1_000), batch.get(2_344))) {
        assertThat(store.get("default", schedule.id())).contains(schedule);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(TestDatabases.EVERY)
  void aFailingChunkIsRolledBackAndTheChunksBeforeItStay(
      String name, Supplier<DatabaseSettings> settings) {
    try (Database db = Database.open(settings.get())) {
      ScheduleStore store = new ScheduleStore(db);
      List<Schedule> batch = new ArrayList<>(schedules("dup-", 1_500));
      batch.set(1_400, aSchedule().named("dup-3").createdAt(T0).build());

      assertThatThrownBy(() -> store.insertAll(batch)).isInstanceOf(RuntimeException.class);

      assertThat(names(store, "dup-")).hasSize(1_000);
    }
  }

  private static List<Schedule> schedules(String prefix, int count) {
    List<Schedule> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(aSchedule().named(prefix + i).every(10).createdAt(T0).build());
    }
    return list;
  }

  private static List<UUID> names(ScheduleStore store, String prefix) {
    List<UUID> ids = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Schedule> page =
          store.list(
              "default",
              new ScheduleQuery(
                  Optional.empty(), Optional.of(prefix), cursor, ScheduleQuery.MAX_LIMIT));
      page.items().forEach(s -> ids.add(s.id()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return ids;
  }
}
