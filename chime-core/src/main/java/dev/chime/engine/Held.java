package dev.chime.engine;

import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.RunPolicy;
import dev.chime.schedule.Trigger;
import dev.chime.store.EngineStore.ClaimedRun;
import dev.chime.store.EngineStore.ClaimedSchedule;
import java.time.Instant;
import java.util.UUID;

/**
 * Work this node has claimed and holds in memory until it is due: at its instant, or later when it
 * was held back ({@code notBefore}) by the catch-up rate or a tenant's cap.
 */
sealed interface Held extends Comparable<Held> {
  /** When the work may go. */
  Instant fireAt();

  /** The claimed row's id, schedule or run. */
  UUID id();

  /** The lease epoch the claim returned: a newer claim of the same row replaces this one. */
  long epoch();

  /** The schedule the work belongs to. */
  UUID scheduleId();

  /** The tenant the work belongs to. */
  String tenantId();

  HttpTarget target();

  Held notBefore(Instant instant);

  @Override
  default int compareTo(Held other) {
    return fireAt().compareTo(other.fireAt());
  }

  /** A schedule's next regular fire. */
  record ScheduledFire(
      ClaimedSchedule claim, Trigger trigger, HttpTarget target, RunPolicy policy, Instant fireAt)
      implements Held {
    ScheduledFire(ClaimedSchedule claim, Trigger trigger, HttpTarget target, RunPolicy policy) {
      this(claim, trigger, target, policy, claim.nextFireAt());
    }

    @Override
    public UUID id() {
      return claim.id();
    }

    @Override
    public long epoch() {
      return claim.leaseEpoch();
    }

    @Override
    public UUID scheduleId() {
      return claim.id();
    }

    @Override
    public String tenantId() {
      return claim.tenantId();
    }

    @Override
    public Held notBefore(Instant instant) {
      return new ScheduledFire(claim, trigger, target, policy, instant);
    }
  }

  /** A queued run: run-now, a retry, or an instant waiting behind another. */
  record QueuedRun(ClaimedRun claim, HttpTarget target, Instant fireAt) implements Held {
    QueuedRun(ClaimedRun claim, HttpTarget target) {
      this(claim, target, claim.dueAt());
    }

    @Override
    public UUID id() {
      return claim.ref().runId();
    }

    @Override
    public long epoch() {
      return claim.leaseEpoch();
    }

    @Override
    public UUID scheduleId() {
      return claim.ref().scheduleId();
    }

    @Override
    public String tenantId() {
      return claim.ref().tenantId();
    }

    @Override
    public Held notBefore(Instant instant) {
      return new QueuedRun(claim, target, instant);
    }
  }
}
