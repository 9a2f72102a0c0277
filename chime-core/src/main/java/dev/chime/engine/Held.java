package dev.chime.engine;

import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.Trigger;
import dev.chime.store.EngineStore.ClaimedRun;
import dev.chime.store.EngineStore.ClaimedSchedule;
import java.time.Instant;

/** Work this node has claimed and holds in memory until its instant. */
sealed interface Held extends Comparable<Held> {
  Instant fireAt();

  HttpTarget target();

  @Override
  default int compareTo(Held other) {
    return fireAt().compareTo(other.fireAt());
  }

  /** A schedule's next regular fire. */
  record ScheduledFire(ClaimedSchedule claim, Trigger trigger, HttpTarget target) implements Held {
    @Override
    public Instant fireAt() {
      return claim.nextFireAt();
    }
  }

  /** A run that was queued for now or later (run-now). */
  record QueuedRun(ClaimedRun claim, HttpTarget target) implements Held {
    @Override
    public Instant fireAt() {
      return claim.scheduledAt();
    }
  }
}
