package dev.chime.testing;

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
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Test data: {@code aSchedule().every(60).at(now).build()}. */
public final class ScheduleBuilder {
  private static final AtomicInteger counter = new AtomicInteger();

  private UUID id = UUID.randomUUID();
  private String name = "schedule-" + counter.incrementAndGet();
  private boolean enabled = true;
  private Trigger trigger = new IntervalTrigger(Duration.ofSeconds(60));
  private URI url = URI.create("http://127.0.0.1:9/hook");
  private String method = "POST";
  private Duration timeout = Duration.ofSeconds(5);
  private String payload = "{\"hello\":\"world\"}";
  private Instant createdAt = Instant.parse("2026-01-01T00:00:00Z");
  private Optional<Instant> nextFireAt = Optional.empty();
  private RunPolicy policy = RunPolicy.DEFAULTS;

  private String tenant = "default";

  public static ScheduleBuilder aSchedule() {
    return new ScheduleBuilder();
  }

  public ScheduleBuilder named(String value) {
    name = value;
    return this;
  }

  public ScheduleBuilder disabled() {
    enabled = false;
    return this;
  }

  public ScheduleBuilder every(long seconds) {
    trigger = new IntervalTrigger(Duration.ofSeconds(seconds));
    return this;
  }

  public ScheduleBuilder cron(String expr, String zone) {
    trigger = new CronTrigger(CronExpression.parse(expr), ZoneId.of(zone));
    return this;
  }

  public ScheduleBuilder once(Instant at) {
    trigger = new OnceTrigger(at);
    return this;
  }

  public ScheduleBuilder target(URI value) {
    url = value;
    return this;
  }

  public ScheduleBuilder method(String value) {
    method = value;
    return this;
  }

  public ScheduleBuilder timeout(Duration value) {
    timeout = value;
    return this;
  }

  public ScheduleBuilder payload(String json) {
    payload = json;
    return this;
  }

  public ScheduleBuilder createdAt(Instant value) {
    createdAt = value;
    return this;
  }

  /** The next fire to store; by default the trigger's first fire after creation. */
  public ScheduleBuilder nextFireAt(Instant value) {
    nextFireAt = Optional.of(value);
    return this;
  }

  public ScheduleBuilder policy(RunPolicy value) {
    policy = value;
    return this;
  }

  public ScheduleBuilder inTenant(String value) {
    tenant = value;
    return this;
  }

  public ScheduleSpec spec() {
    return new ScheduleSpec(
        name,
        "",
        enabled,
        trigger,
        new HttpTarget(method, url, Map.of(), timeout, Duration.ofHours(1)),
        payload,
        policy);
  }

  public Schedule build() {
    ScheduleSpec spec = spec();
    Optional<Instant> next = nextFireAt.isPresent() ? nextFireAt : trigger.first(createdAt);
    return new Schedule(
        id, tenant, spec, next, Optional.empty(), createdAt, createdAt, Schedule.Health.NEW);
  }
}
