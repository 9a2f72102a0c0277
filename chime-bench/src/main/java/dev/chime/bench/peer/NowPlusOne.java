package dev.chime.bench.peer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.bench.Machine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * How soon after its instant a schedule created for "now + 1 s" fires, on Chime: created through
 * one node's store in a transaction of its own (as the API's create does), fired by the engine of
 * the same node, or of another node while the creating one runs no engine. On PostgreSQL the
 * create's {@code NOTIFY} wakes the engines; nothing else tells them. One at a time, so that each
 * meets an idle engine, as a schedule created by hand does.
 */
final class NowPlusOne {
  private static final Duration AHEAD = Duration.ofSeconds(1);
  private static final Duration GIVE_UP = Duration.ofSeconds(5);

  private final Clock clock;
  private final PeerDatabase pg;

  NowPlusOne(Clock clock, PeerDatabase pg) {
    this.clock = clock;
    this.pg = pg;
  }

  /** {@code repeats} schedules on one node, then as many across two; both in the JSON. */
  ObjectNode measure(int repeats) throws InterruptedException {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.set("one_node", once(repeats, false));
    result.set("two_nodes", once(repeats, true));
    return result;
  }

  private ObjectNode once(int repeats, boolean twoNodes) throws InterruptedException {
    String name = "timing_now_plus_one_" + ProcessHandle.current().pid();
    String url = pg.fresh(name);
    FireLog log = new FireLog(clock);
    Executions fired = new Executions(repeats, log);
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("load_average_before", Machine.loadAverage());
    long[] createMicros = new long[repeats];
    ChimePeer firing = new ChimePeer(url, pg.user(), fired);
    ChimePeer other = new ChimePeer(url, pg.user(), new Executions(1), false, false);
    ChimePeer creating = twoNodes ? other : firing;
    try (firing;
        other) {
      firing.start();
      other.start();
      Thread.sleep(500); // the engine's first claims and its listener's connection are done
      for (int k = 0; k < repeats; k++) {
        Instant at = clock.instant().plus(AHEAD).truncatedTo(ChronoUnit.MILLIS);
        long t0 = System.nanoTime();
        creating.createOnce(k, at);
        createMicros[k] = (System.nanoTime() - t0) / 1_000;
        long deadline = System.nanoTime() + AHEAD.plus(GIVE_UP).toNanos();
        while (fired.total() <= k && System.nanoTime() < deadline) {
          Thread.sleep(2);
        }
        Thread.sleep(100); // a pause between, so the engine is idle again
      }
      firing.stop();
    } finally {
      pg.drop(name);
    }
    FireLog.Fires fires = log.snapshot();
    long[] late = new long[fires.size()];
    for (int k = 0; k < fires.size(); k++) {
      late[k] = fires.latenessMicros(k);
    }
    result.put("created", repeats);
    result.put("fired", fires.size());
    result.put("fired_twice", fired.repeated());
    result.put("load_average_after", Machine.loadAverage());
    ArrayNode each = result.putArray("lateness_ms_each");
    Arrays.stream(late).forEach(micros -> each.add(Punctuality.ms(micros)));
    long[] sorted = late.clone();
    Arrays.sort(sorted);
    result.put("lateness_ms_median", sorted.length == 0 ? -1 : Punctuality.ms(median(sorted)));
    result.put(
        "lateness_ms_max", sorted.length == 0 ? -1 : Punctuality.ms(sorted[sorted.length - 1]));
    Arrays.sort(createMicros);
    result.put("create_ms_median", Punctuality.ms(median(createMicros)));
    return result;
  }

  private static long median(long[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
