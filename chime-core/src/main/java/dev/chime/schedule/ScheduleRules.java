package dev.chime.schedule;

import dev.chime.QuotaExceededException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules a schedule spec must keep beyond its shape: its tenant's limits (shortest interval,
 * largest payload; over one is {@link QuotaExceededException}), and checks that depend on the time
 * it is written.
 */
public final class ScheduleRules {
  private final Duration minInterval;
  private final int maxPayloadBytes;

  public ScheduleRules(Duration minInterval, int maxPayloadBytes) {
    if (minInterval.isNegative() || minInterval.isZero()) {
      throw new IllegalArgumentException("minInterval must be positive, got " + minInterval);
    }
    if (maxPayloadBytes < 2) {
      throw new IllegalArgumentException(
          "maxPayloadBytes must be at least 2, got " + maxPayloadBytes);
    }
    this.minInterval = minInterval;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  public Duration minInterval() {
    return minInterval;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /**
   * Checks a spec written at {@code now}. {@code previous} is the stored spec on an update: a
   * {@code once} trigger whose instant has passed may stay as it is, but may not be set anew.
   */
  public void check(ScheduleSpec spec, Optional<ScheduleSpec> previous, Instant now) {
    int payloadBytes = spec.payloadJson().getBytes(StandardCharsets.UTF_8).length;
    if (payloadBytes > maxPayloadBytes) {
      throw new QuotaExceededException(
          "payload",
          "max_payload_bytes",
          maxPayloadBytes,
          "is "
              + payloadBytes
              + " bytes; the limit (max_payload_bytes) is "
              + maxPayloadBytes
              + " bytes");
    }
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    boolean triggerChanged = previous.map(p -> !p.trigger().equals(spec.trigger())).orElse(true);
    switch (spec.trigger()) {
      case IntervalTrigger interval -> {
        if (interval.every().compareTo(minInterval) < 0) {
          throw tooOften(
              "trigger.seconds",
              "must be at least "
                  + minInterval.toSeconds()
                  + " (the minimum interval, min_interval_s), got "
                  + interval.every().toSeconds());
        }
      }
      case OnceTrigger once -> {
        if (triggerChanged && !once.at().isAfter(now)) {
          errors.add(
              "trigger.at", "is in the past (" + once.at() + " is not after now, " + now + ")");
        }
      }
      case CronTrigger cron -> {
        if (cron.first(now).isEmpty()) {
          errors.add(
              "trigger.expr",
              "never fires: no date in the coming years matches '"
                  + cron.expression().expression()
                  + "'");
        } else {
          Duration gap = cron.expression().shortestGap();
          if (gap.compareTo(minInterval) < 0) {
            throw tooOften(
                "trigger.expr",
                "fires as often as every "
                    + seconds(gap)
                    + "; the minimum interval (min_interval_s) is "
                    + seconds(minInterval));
          }
        }
      }
    }
    errors.throwIfAny();
  }

  private QuotaExceededException tooOften(String field, String message) {
    return new QuotaExceededException(field, "min_interval_s", minInterval.toSeconds(), message);
  }

  private static String seconds(Duration duration) {
    return duration.toSeconds() + " s";
  }
}
