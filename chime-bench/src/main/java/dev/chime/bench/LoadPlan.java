package dev.chime.bench;

import dev.chime.run.Run;
import dev.chime.schedule.CronTrigger;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.IntervalTrigger;
import dev.chime.schedule.OnceTrigger;
import dev.chime.schedule.RunPolicy;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.schedule.Trigger;
import dev.chime.timing.CronExpression;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The schedules of one load run and the fires they must make: which (schedule, instant) pairs fall
 * in a measurement window follows from the triggers alone, so gaps can be counted exactly.
 */
final class LoadPlan {
  static final String NAME_PREFIX = "loadbench-";
  static final String BURST_CRON = "0 * * * * *";

  private final LoadOptions options;
  private final Instant createdAt;
  private final Instant firstFire;
  private final List<UUID> ids = new ArrayList<>();

  private LoadPlan(LoadOptions options, Instant createdAt, Instant firstFire) {
    this.options = options;
    this.createdAt = createdAt;
    this.firstFire = firstFire;
    for (int i = 0; i < options.schedules(); i++) {
      ids.add(UUID.randomUUID());
    }
  }

  /**
   * A plan made at {@code now} whose first fire leaves time to register the schedules: 3 s, plus
   * one second for every 2,500 schedules (a batch insert's pace on PostgreSQL, busy machine).
   */
  static LoadPlan create(LoadOptions options, Instant now) {
    Instant earliest =
        now.plus(Duration.ofSeconds(3 + options.schedules() / 2_500))
            .truncatedTo(ChronoUnit.SECONDS);
    Instant first =
        switch (options.mode()) {
          case INTERVAL -> earliest;
          case BURST ->
              options.burstTrigger() == LoadOptions.BurstTrigger.CRON
                  ? cron().first(earliest).orElseThrow()
                  : earliest;
        };
    return new LoadPlan(options, now, first);
  }

  private static CronTrigger cron() {
    return new CronTrigger(CronExpression.parse(BURST_CRON), ZoneOffset.UTC);
  }

  /** The first instant any schedule fires at; in burst mode, the burst's instant. */
  Instant firstFire() {
    return firstFire;
  }

  /**
   * Where a steady run's measurement starts: {@code warmup} after the first fires, or after the
   * registration ended if that was later.
   */
  Instant windowStart(Instant registered, Duration warmup) {
    return (registered.isAfter(firstFire) ? registered : firstFire)
        .plus(warmup)
        .truncatedTo(ChronoUnit.MILLIS);
  }

  /** Schedule {@code i}'s first fire: in interval mode spread evenly over one interval. */
  Instant firstFireOf(int i) {
    if (options.mode() == LoadOptions.Mode.BURST) {
      return firstFire;
    }
    long offsetNanos = options.interval().toNanos() / options.schedules() * i;
    return firstFire.plusNanos(offsetNanos).truncatedTo(ChronoUnit.MILLIS);
  }

  List<Schedule> schedules(URI hook) {
    List<Schedule> schedules = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      ScheduleSpec spec =
          new ScheduleSpec(
              NAME_PREFIX + i,
              "",
              true,
              trigger(),
              new HttpTarget("POST", hook, Map.of(), Duration.ofSeconds(10), Duration.ofHours(1)),
              "{\"i\":" + i + "}",
              RunPolicy.DEFAULTS);
      schedules.add(
          new Schedule(
              ids.get(i),
              "default",
              spec,
              Optional.of(firstFireOf(i)),
              Optional.empty(),
              createdAt,
              createdAt,
              Schedule.Health.NEW));
    }
    return schedules;
  }

  private Trigger trigger() {
    return switch (options.mode()) {
      case INTERVAL -> new IntervalTrigger(options.interval());
      case BURST ->
          options.burstTrigger() == LoadOptions.BurstTrigger.CRON
              ? cron()
              : new OnceTrigger(firstFire);
    };
  }

  /**
   * The run keys ({@code Idempotency-Key}s) of every fire scheduled in {@code [from, to)}; in burst
   * mode only the burst's instant counts, whatever the window.
   */
  Set<String> expectedKeys(Instant from, Instant to) {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      if (options.mode() == LoadOptions.Mode.BURST) {
        keys.add(Run.runKey(ids.get(i), firstFire));
        continue;
      }
      Duration every = options.interval();
      Instant at = firstFireOf(i);
      if (at.isBefore(from)) {
        long periods =
            (Duration.between(at, from).toNanos() + every.toNanos() - 1) / every.toNanos();
        at = at.plus(every.multipliedBy(periods));
      }
      for (; at.isBefore(to); at = at.plus(every)) {
        keys.add(Run.runKey(ids.get(i), at));
      }
    }
    return keys;
  }

  Set<String> scheduleIds() {
    Set<String> set = new HashSet<>();
    ids.forEach(id -> set.add(id.toString()));
    return set;
  }
}
