package dev.chime.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a schedule fires: a cron expression read in a time zone, a fixed interval, or one instant.
 * Chime checks the expression, the zone and the limits when the schedule is written; the client
 * only checks that the parts are present.
 */
public sealed interface Trigger permits Trigger.Cron, Trigger.Interval, Trigger.Once {
  /** The wire name of the kind: {@code cron}, {@code interval} or {@code once}. */
  String type();

  /** A cron expression read in UTC. */
  static Cron cron(String expr) {
    return new Cron(expr, "UTC");
  }

  /** A cron expression read in an IANA time zone such as {@code Asia/Shanghai}. */
  static Cron cron(String expr, String timezone) {
    return new Cron(expr, timezone);
  }

  /** Every {@code every}, counted from the previous scheduled instant; whole seconds. */
  static Interval every(Duration every) {
    return new Interval(every.toSeconds());
  }

  /** Once, at {@code at}; the schedule disables itself after a successful run. */
  static Once once(Instant at) {
    return new Once(at);
  }

  /**
   * Fires at the local times a cron expression matches: 5 fields, or 6 with seconds first, or a
   * macro such as {@code @daily}.
   *
   * @param expr the expression, such as {@code 0 9 * * 1-5}
   * @param timezone an IANA zone id; {@code UTC} when the schedule does not say
   */
  record Cron(String expr, String timezone) implements Trigger {
    /** Checks that both parts are given. */
    public Cron {
      Objects.requireNonNull(expr, "expr");
      Objects.requireNonNull(timezone, "timezone");
      expr = expr.strip();
      if (expr.isEmpty()) {
        throw new IllegalArgumentException("a cron expression must not be blank");
      }
    }

    @Override
    public String type() {
      return "cron";
    }
  }

  /**
   * Fires every {@code seconds}; the first fire is one interval after the schedule is created or
   * enabled.
   */
  record Interval(long seconds) implements Trigger {
    /** Checks that the interval is positive. */
    public Interval {
      if (seconds < 1) {
        throw new IllegalArgumentException("an interval must be at least 1 s, got " + seconds);
      }
    }

    @Override
    public String type() {
      return "interval";
    }
  }

  /** Fires once at {@code at}, which must be in the future when it is set. */
  record Once(Instant at) implements Trigger {
    /** Checks that the instant is given. */
    public Once {
      Objects.requireNonNull(at, "at");
    }

    @Override
    public String type() {
      return "once";
    }
  }
}
