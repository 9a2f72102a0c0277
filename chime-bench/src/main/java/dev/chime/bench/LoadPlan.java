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

  /** The warm-up of a burst ends this long before the burst. */
  static final Duration WARMUP_GAP = Duration.ofSeconds(3);

  /** The warm-up of a burst fires at most this many a second. */
  static final int WARMUP_RATE = 500;

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
          case BURST -> {
            Instant after = earliest.plus(warmupSpan(options));
            yield options.burstTrigger() == LoadOptions.BurstTrigger.CRON
                ? cron().first(after).orElseThrow()
                : after;
          }
        };
    return new LoadPlan(options, now, first);
  }

  private static CronTrigger cron() {
    return new CronTrigger(CronExpression.parse(BURST_CRON), ZoneOffset.UTC);
  }

  /**
   * In burst mode, the warm-up before the burst and the gap after it: a node that has fired nothing
   * yet runs its first thousands of calls through code the JIT has not compiled, and a burst at
   * 09:00 meets a node that has been running all night.
   */
  private static Duration warmupSpan(LoadOptions options) {
    return options.warmup().isZero() ? Duration.ZERO : options.warmup().plus(WARMUP_GAP);
  }

  /**
   * The burst's warm-up fires: {@code once} schedules of their own ({@value #NAME_PREFIX}warmup-),
   * spread over {@code --warmup} seconds ending {@link #WARMUP_GAP} before the burst, at most
   * {@link #WARMUP_RATE} a second and no more than the burst has. Their fires are not counted.
   */
  private List<Schedule> warmups(URI hook) {
    if (options.mode() != LoadOptions.Mode.BURST || options.warmup().isZero()) {
      return List.of();
    }
    Instant from = firstFire.minus(WARMUP_GAP).minus(options.warmup());
    long count = Math.min(options.schedules(), WARMUP_RATE * options.warmup().toSeconds());
    long stepNanos = options.warmup().toNanos() / Math.max(1, count);
    List<Schedule> warmups = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant at = from.plusNanos(stepNanos * i).truncatedTo(ChronoUnit.MILLIS);
      warmups.add(
          schedule(
              UUID.randomUUID(), NAME_PREFIX + "warmup-" + i, new OnceTrigger(at), at, hook, i));
    }
    return warmups;
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

  /** The schedules to register: the measured ones, then a burst's warm-up. */
  List<Schedule> schedules(URI hook) {
    List<Schedule> schedules = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      schedules.add(schedule(ids.get(i), NAME_PREFIX + i, trigger(), firstFireOf(i), hook, i));
    }
    schedules.addAll(warmups(hook));
    return schedules;
  }

  private Schedule schedule(UUID id, String name, Trigger trigger, Instant first, URI hook, int i) {
    ScheduleSpec spec =
        new ScheduleSpec(
            name,
            "",
            true,
            trigger,
            new HttpTarget("POST", hook, Map.of(), Duration.ofSeconds(10), Duration.ofHours(1)),
            "{\"i\":" + i + "}",
            RunPolicy.DEFAULTS);
    return new Schedule(
        id,
        "default",
        spec,
        Optional.of(first),
        Optional.empty(),
        createdAt,
        createdAt,
        Schedule.Health.NEW);
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
