package dev.chime.schedule;

import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A schedule's drift over a window: the instants its trigger asked for that were not sent — skipped
 * as an overlap, missed outside the catch-up window, or never recorded — so that a schedule whose
 * runs outlast its interval shows as thinning out instead of doing so silently. Counted from the
 * later of the window's start and the schedule's last change (before it the trigger may have been
 * another), up to {@link #SETTLE} before the window's end.
 *
 * @param notSentAt the instants not sent, oldest first, at most {@link #EXAMPLES}
 */
public record Drift(
    Instant countedSince,
    int expected,
    int sent,
    int notSent,
    int skippedOverlap,
    int skippedMissed,
    List<Instant> notSentAt) {
  /** Instants younger than this are not yet expected to be on record. */
  public static final Duration SETTLE = Duration.ofSeconds(10);

  /** The most instants of the trigger one window counts. */
  public static final int MAX_EXPECTED = 100_000;

  /** How many of the instants not sent are kept, oldest first. */
  public static final int EXAMPLES = 5;

  public Drift {
    notSentAt = List.copyOf(notSentAt);
  }

  /** The drift of {@code schedule} in [{@code from}, {@code to}) from its runs in that window. */
  public static Drift of(Schedule schedule, List<Run> runs, Instant from, Instant to) {
    Set<Instant> sentAt = new HashSet<>();
    int skippedOverlap = 0;
    int skippedMissed = 0;
    for (Run run : runs) {
      if (run.status() == RunStatus.SKIPPED) {
        if (run.errorCode().orElse("").equals("overlap")) {
          skippedOverlap++;
        } else {
          skippedMissed++;
        }
      } else if (run.origin() == RunOrigin.SCHEDULE && run.attempt() == 1) {
        sentAt.add(run.scheduledAt());
      }
    }
    boolean fromChange = !from.isAfter(schedule.updatedAt());
    Instant since = fromChange ? schedule.updatedAt() : from;
    List<Instant> expected =
        schedule.spec().enabled()
            ? instants(schedule, since, fromChange, to.minus(SETTLE))
            : List.of();
    List<Instant> missing = new ArrayList<>();
    int hit = 0;
    for (Instant at : expected) {
      if (sentAt.contains(at)) {
        hit++;
      } else {
        missing.add(at);
      }
    }
    return new Drift(
        since,
        expected.size(),
        hit,
        missing.size(),
        skippedOverlap,
        skippedMissed,
        missing.stream().sorted().limit(EXAMPLES).toList());
  }

  /** The oldest instant not sent, if any. */
  public Optional<Instant> firstNotSent() {
    return notSentAt.isEmpty() ? Optional.empty() : Optional.of(notSentAt.get(0));
  }

  /**
   * The trigger's instants in [since, until), or (since, until) when {@code since} is the
   * schedule's last change: a trigger's first instant comes after the change, never at it. An
   * interval's are counted back from its next fire.
   */
  private static List<Instant> instants(
      Schedule schedule, Instant since, boolean afterSince, Instant until) {
    List<Instant> instants = new ArrayList<>();
    Trigger trigger = schedule.spec().trigger();
    if (trigger instanceof IntervalTrigger interval) {
      Optional<Instant> next = schedule.nextFireAt();
      if (next.isEmpty()) {
        return instants;
      }
      for (Instant at = next.get().minus(interval.every());
          !at.isBefore(since) && instants.size() < MAX_EXPECTED;
          at = at.minus(interval.every())) {
        if (at.isBefore(until) && !(afterSince && at.equals(since))) {
          instants.add(at);
        }
      }
      return instants;
    }
    Optional<Instant> at = trigger.first(afterSince ? since : since.minusNanos(1));
    while (at.isPresent() && at.get().isBefore(until) && instants.size() < MAX_EXPECTED) {
      if (!at.get().isBefore(since)) {
        instants.add(at.get());
      }
      at = trigger.next(at.get());
    }
    return instants;
  }
}
