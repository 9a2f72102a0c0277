package dev.chime.bench.peer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.bench.Percentiles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How punctual a steady run was in its window {@code [from, to)}: of the fires scheduled in it, how
 * many came, how late (dispatch minus scheduled instant, nearest-rank percentiles), and how many
 * fires the handlers ran while the window lasted (the achieved rate). A peer that cannot keep up
 * shows it three ways: an achieved rate below the planned one, fires of the window that had not
 * come by the end of the run ({@code missing}), and a lateness that grows through the window; the
 * lateness of the fires it did run during the window (whatever their instant) says how far behind
 * it was.
 */
record Punctuality(
    double plannedRate,
    double windowSeconds,
    long expected,
    long fired,
    long missing,
    long duplicates,
    long firedDuringWindow,
    long firedDuringLateWindow,
    Percentiles lateness,
    Percentiles firstTenth,
    Percentiles lastTenth,
    Percentiles ranDuringWindow,
    long early,
    List<String> earlyExamples) {

  /** Fires run more than this before their instant count as early (Quartz keeps milliseconds). */
  static final long EARLY_MICROS = 1_000;

  private static final int EXAMPLES = 5;

  /**
   * A peer keeps up when it ran 95 % of the planned rate during the window moved later by the
   * median lateness (so that a poll's steady delay is not taken for falling behind, in a short
   * window), and no more than 1 % of the window's fires never came.
   */
  boolean keptUp() {
    return firedDuringLateWindow / windowSeconds >= 0.95 * plannedRate && missing <= expected / 100;
  }

  double achievedRate() {
    return firedDuringWindow / windowSeconds;
  }

  static Punctuality of(FireLog.Fires fires, SteadyLoad load, Instant from, Instant to) {
    long fromMicros = FireLog.micros(from);
    long toMicros = FireLog.micros(to);
    Set<Long> seen = new HashSet<>();
    long duplicates = 0;
    long during = 0;
    long early = 0;
    List<String> earlyExamples = new ArrayList<>();
    long[] late = new long[fires.size()];
    long[] scheduledOf = new long[fires.size()];
    long[] lateOfRan = new long[fires.size()];
    int n = 0;
    for (int k = 0; k < fires.size(); k++) {
      if (fires.actual()[k] >= fromMicros && fires.actual()[k] < toMicros) {
        lateOfRan[(int) during++] = fires.latenessMicros(k);
      }
      long at = fires.scheduled()[k];
      if (at < fromMicros || at >= toMicros) {
        continue;
      }
      int job = fires.jobs()[k];
      long slot = load.slotOf(job, fires.scheduledAt(k));
      if (!seen.add(((long) job << 32) | (slot & 0xffffffffL))) {
        duplicates++;
        continue;
      }
      late[n] = fires.latenessMicros(k);
      scheduledOf[n] = at;
      n++;
      if (fires.latenessMicros(k) < -EARLY_MICROS) {
        early++;
        if (earlyExamples.size() < EXAMPLES) {
          earlyExamples.add(
              "job "
                  + job
                  + " for "
                  + fires.scheduledAt(k)
                  + " ran at "
                  + Instant.EPOCH.plus(fires.actual()[k], java.time.temporal.ChronoUnit.MICROS));
        }
      }
    }
    Percentiles lateness = Percentiles.of(Arrays.copyOf(late, n));
    // the window moved by the median lateness: a peer that polls runs its window that much later
    long shiftedFrom = fromMicros + lateness.p50();
    long shiftedTo = toMicros + lateness.p50();
    long duringLate = 0;
    for (long ran : fires.actual()) {
      if (ran >= shiftedFrom && ran < shiftedTo) {
        duringLate++;
      }
    }
    long expected = load.expectedIn(from, to);
    long span = toMicros - fromMicros;
    return new Punctuality(
        load.rate(),
        Duration.between(from, to).toMillis() / 1000.0,
        expected,
        n,
        Math.max(0, expected - n),
        duplicates,
        during,
        duringLate,
        lateness,
        Percentiles.of(where(late, scheduledOf, n, fromMicros, fromMicros + span / 10)),
        Percentiles.of(where(late, scheduledOf, n, toMicros - span / 10, toMicros)),
        Percentiles.of(Arrays.copyOf(lateOfRan, (int) during)),
        early,
        List.copyOf(earlyExamples));
  }

  private static long[] where(long[] late, long[] at, int n, long from, long to) {
    long[] picked = new long[n];
    int m = 0;
    for (int k = 0; k < n; k++) {
      if (at[k] >= from && at[k] < to) {
        picked[m++] = late[k];
      }
    }
    return Arrays.copyOf(picked, m);
  }

  ObjectNode json() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("planned_rate", Math.round(plannedRate));
    node.put("window_s", windowSeconds);
    node.put("achieved_rate", Math.round(achievedRate()));
    node.put("expected", expected);
    node.put("fired", fired);
    node.put("missing", missing);
    node.put("duplicates", duplicates);
    node.put("kept_up", keptUp());
    node.put("early", early);
    earlyExamples.forEach(node.putArray("early_examples")::add);
    node.set("lateness_ms", ms(lateness));
    node.set("lateness_ms_first_tenth", ms(firstTenth));
    node.set("lateness_ms_last_tenth", ms(lastTenth));
    node.set("lateness_ms_of_fires_run_in_window", ms(ranDuringWindow));
    return node;
  }

  /** Percentiles of lateness given in microseconds, in milliseconds. */
  static ObjectNode ms(Percentiles micros) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("count", micros.count());
    node.put("p50", ms(micros.p50()));
    node.put("p90", ms(micros.p90()));
    node.put("p99", ms(micros.p99()));
    node.put("p99_9", ms(micros.p999()));
    node.put("max", ms(micros.max()));
    node.put("min", ms(micros.min()));
    return node;
  }

  /** Milliseconds to a tenth below 100 ms, whole above. */
  static double ms(long micros) {
    double ms = micros / 1000.0;
    return Math.abs(ms) < 100 ? Math.round(ms * 10) / 10.0 : Math.round(ms);
  }
}
