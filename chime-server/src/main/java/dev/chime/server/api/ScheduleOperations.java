package dev.chime.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.NotFoundException;
import dev.chime.TargetForbiddenException;
import dev.chime.run.Run;
import dev.chime.run.RunOrigin;
import dev.chime.schedule.HeaderSecrets;
import dev.chime.schedule.JsonFields;
import dev.chime.schedule.PolicyJson;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleJson;
import dev.chime.schedule.ScheduleRules;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.server.auth.Caller;
import dev.chime.store.Page;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleQuery;
import dev.chime.store.ScheduleStore;
import dev.chime.store.ScheduleStore.Change;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the schedule endpoints do, apart from HTTP: check input against the rules, work out the next
 * fire, write, and wake the engine so a change takes effect at once.
 */
final class ScheduleOperations {
  private final ScheduleStore schedules;
  private final RunStore runs;
  private final Clock clock;
  private final Runnable wakeEngine;
  private final Outgoing outgoing;

  ScheduleOperations(
      ScheduleStore schedules, RunStore runs, Clock clock, Runnable wakeEngine, Outgoing outgoing) {
    this.outgoing = outgoing;
    this.schedules = schedules;
    this.runs = runs;
    this.clock = clock;
    this.wakeEngine = wakeEngine;
  }

  /** The rules of the caller's tenant: its shortest interval and largest payload. */
  private static ScheduleRules rules(Caller caller) {
    return new ScheduleRules(caller.quotas().minInterval(), caller.quotas().maxPayloadBytes());
  }

  private static ScheduleStore.Writer writer(Caller caller) {
    return new ScheduleStore.Writer(caller.actor(), caller.quotas().maxEnabledSchedules());
  }

  Schedule create(Caller caller, JsonNode body) {
    ScheduleSpec spec =
        HeaderSecrets.seal(
            outgoing.box(), caller.tenantId(), ScheduleJson.readSpec(body), Optional.empty());
    Instant now = now();
    rules(caller).check(spec, Optional.empty(), now);
    checkTarget(caller.tenantId(), spec);
    Schedule schedule =
        new Schedule(
            UUID.randomUUID(),
            caller.tenantId(),
            spec,
            spec.enabled() ? spec.trigger().first(now) : Optional.empty(),
            Optional.empty(),
            now,
            now,
            Schedule.Health.NEW);
    schedules.insert(schedule, writer(caller));
    wakeEngine.run();
    return schedule;
  }

  Schedule get(String tenantId, UUID id) {
    return schedules.get(tenantId, id).orElseThrow(() -> notFound(id));
  }

  Page<Schedule> list(String tenantId, ScheduleQuery query) {
    return schedules.list(tenantId, query);
  }

  /** PUT: the body is the whole new spec. */
  Schedule replace(Caller caller, UUID id, JsonNode body) {
    ScheduleSpec spec = ScheduleJson.readSpec(body);
    return change(caller, id, "schedule.update", current -> spec);
  }

  /** PATCH: a JSON merge patch (RFC 7396) on the schedule's editable fields. */
  Schedule patch(Caller caller, UUID id, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      throw new dev.chime.InvalidInputException(
          "body", "a merge patch must be a JSON object of the fields to change");
    }
    ScheduleJson.Errors nulls = new ScheduleJson.Errors();
    ScheduleJson.refuseNulls(patch, true, nulls);
    nulls.throwIfAny();
    return change(
        caller,
        id,
        "schedule.update",
        current -> {
          ObjectNode base = JsonViews.editable(current);
          JsonNode newType = patch.path("trigger").path("type");
          if (newType.isTextual() && !newType.equals(base.path("trigger").path("type"))) {
            // a trigger of another type replaces the old one rather than merging into it
            base.remove("trigger");
          }
          if (patch.path(PolicyJson.RETRY_POLICY).isObject()) {
            // a retry policy is small and has two forms: a new one replaces the old as a whole
            base.remove(PolicyJson.RETRY_POLICY);
          }
          JsonNode merged = JsonFields.mergePatch(base, patch);
          return ScheduleJson.readSpec(merged);
        });
  }

  Schedule setEnabled(Caller caller, UUID id, boolean enabled) {
    return change(
        caller,
        id,
        enabled ? "schedule.enable" : "schedule.disable",
        current -> current.spec().withEnabled(enabled));
  }

  /** How many schedules one transaction of a bulk action takes. */
  static final int BULK_CHUNK = 100;

  List<UUID> select(String tenantId, ScheduleQuery query, int max) {
    return schedules.select(tenantId, query, max);
  }

  /**
   * Enables, disables, deletes or runs many schedules, one transaction per chunk of {@link
   * #BULK_CHUNK}; answers one result per id, in the order given.
   */
  List<ScheduleStore.ItemResult> bulk(Caller caller, String action, List<UUID> ids) {
    Map<UUID, ScheduleStore.ItemResult> results = new java.util.HashMap<>();
    Instant now = now();
    for (int from = 0; from < ids.size(); from += BULK_CHUNK) {
      List<UUID> chunk = ids.subList(from, Math.min(from + BULK_CHUNK, ids.size()));
      List<ScheduleStore.ItemResult> done =
          switch (action) {
            case "enable", "disable" -> {
              boolean enabled = action.equals("enable");
              ScheduleRules rules = rules(caller);
              yield schedules.updateEach(
                  caller.tenantId(),
                  chunk,
                  now,
                  current -> {
                    ScheduleSpec spec = current.spec().withEnabled(enabled);
                    if (enabled && !current.spec().enabled()) {
                      rules.check(spec, Optional.of(current.spec()), now);
                      checkTarget(caller.tenantId(), spec);
                    }
                    return new Change(spec, nextFire(current, spec, now), health(current, spec));
                  },
                  writer(caller),
                  "schedule." + action);
            }
            case "delete" -> schedules.deleteEach(caller.tenantId(), chunk, writer(caller), now);
            case "run-now" -> runNowEach(caller, chunk, now);
            default -> throw new IllegalArgumentException("no bulk action " + action);
          };
      done.forEach(result -> results.put(result.id(), result));
    }
    wakeEngine.run();
    return ids.stream().map(results::get).toList();
  }

  private List<ScheduleStore.ItemResult> runNowEach(Caller caller, List<UUID> ids, Instant now) {
    List<Run> queued = new java.util.ArrayList<>();
    for (UUID id : ids) {
      queued.add(
          Run.queued(
              caller.tenantId(), id, Run.runKey(id, now), 1, RunOrigin.MANUAL, now, now, now));
    }
    Map<UUID, Boolean> done = runs.insertQueuedEach(queued, caller.actor(), "schedule.run-now");
    return queued.stream()
        .map(
            run ->
                new ScheduleStore.ItemResult(
                    run.scheduleId(),
                    done.get(run.id()) ? ScheduleStore.Done.DONE : ScheduleStore.Done.NOT_FOUND,
                    done.get(run.id()) ? "queued run " + run.id() : ""))
        .toList();
  }

  boolean delete(Caller caller, UUID id) {
    boolean deleted = schedules.delete(caller.tenantId(), id, writer(caller), now());
    if (!deleted) {
      throw notFound(id);
    }
    return true;
  }

  /** Queues a run for now; the regular rhythm of the schedule is not moved. */
  Run runNow(Caller caller, UUID id) {
    Instant now = now();
    Run run =
        Run.queued(caller.tenantId(), id, Run.runKey(id, now), 1, RunOrigin.MANUAL, now, now, now);
    if (!runs.insertQueued(run, caller.actor(), "schedule.run-now")) {
      throw notFound(id);
    }
    wakeEngine.run();
    return run;
  }

  private interface SpecChange {
    ScheduleSpec apply(Schedule current);
  }

  /**
   * Writes a new spec under a row lock. The next fire is worked out again when the trigger changed
   * or the schedule was just enabled; otherwise the rhythm is kept as it was.
   */
  private Schedule change(Caller caller, UUID id, String action, SpecChange change) {
    Instant now = now();
    ScheduleRules rules = rules(caller);
    Schedule updated =
        schedules
            .update(
                caller.tenantId(),
                id,
                now,
                current -> {
                  ScheduleSpec spec =
                      HeaderSecrets.seal(
                          outgoing.box(),
                          caller.tenantId(),
                          change.apply(current),
                          Optional.of(current.spec()));
                  // Switching a schedule off is always allowed, even one that a tightened limit
                  // would no longer accept.
                  if (!spec.equals(current.spec().withEnabled(false))) {
                    rules.check(spec, Optional.of(current.spec()), now);
                    checkTarget(caller.tenantId(), spec);
                  }
                  return new Change(spec, nextFire(current, spec, now), health(current, spec));
                },
                writer(caller),
                action)
            .orElseThrow(() -> notFound(id));
    wakeEngine.run();
    return updated;
  }

  /**
   * Refuses a target that the address policy, or the tenant's allow-list, refuses by its URL. A
   * check-in calls nothing, so no policy applies to it.
   */
  private void checkTarget(String tenantId, ScheduleSpec spec) {
    if (spec.target().isCheckin()) {
      return;
    }
    outgoing
        .guard()
        .refusalOf(spec.target().url(), outgoing.allowLists().of(tenantId))
        .ifPresent(
            reason -> {
              throw new TargetForbiddenException("target.url", reason);
            });
  }

  /** Switching a schedule back on starts a new streak and forgets why Chime had switched it off. */
  private static Schedule.Health health(Schedule current, ScheduleSpec spec) {
    if (spec.enabled() && !current.spec().enabled()) {
      return new Schedule.Health(0, current.health().lastStatus(), Optional.empty());
    }
    return current.health();
  }

  private static Optional<Instant> nextFire(Schedule current, ScheduleSpec spec, Instant now) {
    if (!spec.enabled()) {
      return Optional.empty();
    }
    boolean sameRhythm =
        current.spec().enabled()
            && current.spec().trigger().equals(spec.trigger())
            && current.nextFireAt().isPresent();
    if (sameRhythm) {
      return current.nextFireAt();
    }
    // an instant already started (a fire is marked started just before it) is not fired again
    Instant from = current.lastFireAt().filter(now::isBefore).orElse(now);
    return spec.trigger().first(from);
  }

  /** Instants are kept to the microsecond, as precisely as every database stores them. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static NotFoundException notFound(UUID id) {
    return new NotFoundException("schedule", id.toString());
  }
}
