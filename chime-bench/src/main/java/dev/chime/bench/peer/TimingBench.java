package dev.chime.bench.peer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.bench.Machine;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;

/**
 * Lateness at steady loads, Chime beside db-scheduler and Quartz on the same PostgreSQL in one run:
 * for each rate R, R x interval recurring no-op jobs, their instants spread evenly, so that R fire
 * every second; after a warm-up, the fires scheduled in a window count. Reports lateness (dispatch
 * minus scheduled instant: the handler records both) p50, p99, p99.9 and max, the achieved rate,
 * and whether the peer kept up; and how soon a schedule created for now + 1 s fires on Chime, on
 * one node and across two ({@link NowPlusOne}).
 *
 * <p>Run: {@code java -cp chime-bench/target/chime-bench.jar dev.chime.bench.peer.TimingBench
 * --help}.
 */
public final class TimingBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Ahead of the first instant, beyond what registering took last time. */
  private static final Duration LEAD = Duration.ofMillis(500);

  private final PrintStream out;
  private final Clock clock;

  /** Registrations per second seen so far, by peer: sets how far ahead the first instant is. */
  private final Map<TimingPeer, Double> registerRate = new EnumMap<>(TimingPeer.class);

  public TimingBench(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    PeerBench.quietLogs();
    System.exit(new TimingBench(System.out, Clock.systemUTC()).run(args));
  }

  /** Runs the bench; returns the exit status (2 for a bad command line). */
  public int run(String[] args) throws Exception {
    return new BenchCommand<>(
            "TimingBench", TimingOptions.USAGE, TimingOptions::parse, TimingReport::print)
        .run(args, out, this::measure);
  }

  /** Every round of every peer at every rate, now + 1 s, and the summary. */
  public ObjectNode measure(TimingOptions options) throws InterruptedException {
    ObjectNode result = BenchCommand.result("TimingBench");
    ObjectNode machine = (ObjectNode) result.path("machine");
    ArrayNode notes = result.putArray("notes");
    PeerDatabase pg = new PeerDatabase(options.postgres());
    if (!pg.answers()) {
      notes.add("no PostgreSQL answered at " + options.postgres() + ": nothing was measured");
      result.putArray("rounds");
      result.putArray("summary");
      return result;
    }
    machine.put("postgresql", pg.serverVersion());
    result.put("interval_ms", options.interval().toMillis());
    result.put("warmup_s", options.warmup().toMillis() / 1000.0);
    ObjectNode settings = result.putObject("settings");
    ArrayNode rounds = result.putArray("rounds");
    for (int round = 1; round <= options.rounds(); round++) {
      for (int rate : options.rates()) {
        for (TimingPeer peer : options.peers()) {
          if (!options.ratesOf(peer).contains(rate)) {
            continue;
          }
          out.printf("round %d, %,d fires/s, %s ...%n", round, rate, peer.id);
          ObjectNode one = round(peer, rate, options, pg, settings);
          one.put("round", round);
          rounds.add(one);
          out.printf(
              "  %s fires/s achieved, lateness ms p50 %s p99 %s p99.9 %s max %s%s%n",
              one.path("achieved_rate").asText(),
              one.at("/lateness_ms/p50").asText(),
              one.at("/lateness_ms/p99").asText(),
              one.at("/lateness_ms/p99_9").asText(),
              one.at("/lateness_ms/max").asText(),
              one.path("kept_up").asBoolean()
                  ? ""
                  : "; did NOT keep up: "
                      + one.path("missing").asText()
                      + " of the window's fires never came; those it ran during the window were"
                      + " late by p50 "
                      + one.at("/lateness_ms_of_fires_run_in_window/p50").asText()
                      + " ms");
        }
      }
    }
    TimingReport.summarize(result);
    if (options.nowPlusOneRepeats() > 0) {
      out.printf(
          "now + 1 s on Chime, %d times on one node and on two ...%n", options.nowPlusOneRepeats());
      result.set("now_plus_one", new NowPlusOne(clock, pg).measure(options.nowPlusOneRepeats()));
    }
    machine.put("load_average_after", Machine.loadAverage());
    notes.add(
        "lateness: the no-op handler's clock reading minus the instant the scheduler says the fire"
            + " was for (Chime's scheduledAt, db-scheduler's execution time, Quartz's scheduled"
            + " fire time), for every fire scheduled in the window");
    notes.add(
        "kept up: at least 95% of the planned rate ran during the window (moved later by the"
            + " median lateness) and at most 1% of the window's fires had not come by the end of"
            + " the drain");
    return result;
  }

  private ObjectNode round(
      TimingPeer peer, int rate, TimingOptions options, PeerDatabase pg, ObjectNode settings)
      throws InterruptedException {
    long began = System.nanoTime();
    String url = pg.fresh(peer.databaseName());
    ObjectNode one = JSON.createObjectNode();
    one.put("peer", peer.id);
    one.put("rate", rate);
    one.put("load_average_before", Machine.loadAverage());
    try {
      measureRound(peer, rate, options, pg, url, one, settings);
    } finally {
      pg.drop(peer.databaseName());
    }
    one.put("load_average_after", Machine.loadAverage());
    one.put("took_ms", (System.nanoTime() - began) / 1_000_000);
    return one;
  }

  private void measureRound(
      TimingPeer peer,
      int rate,
      TimingOptions options,
      PeerDatabase pg,
      String url,
      ObjectNode one,
      ObjectNode settings)
      throws InterruptedException {
    FireLog log = new FireLog(clock);
    int jobs = SteadyLoad.of(rate, options.interval(), Instant.EPOCH).jobs();
    Executions executions = new Executions(jobs, log);
    long opened = System.nanoTime();
    try (Peer scheduler = peer.open(url, pg.user(), executions)) {
      scheduler.start();
      one.put("start_ms", (System.nanoTime() - opened) / 1_000_000);
      settings.set(peer.id, JSON.valueToTree(scheduler.settings()));
      double perSecond = registerRate.getOrDefault(peer, 2_000.0);
      Instant first =
          clock
              .instant()
              .plus(LEAD)
              .plusMillis(Math.round(1.5 * jobs * 1000 / perSecond))
              .truncatedTo(ChronoUnit.MILLIS);
      SteadyLoad load = SteadyLoad.of(rate, options.interval(), first);
      long t0 = System.nanoTime();
      scheduler.registerSteady(load);
      long registerNanos = System.nanoTime() - t0;
      registerRate.put(peer, jobs * 1e9 / Math.max(1, registerNanos));
      Instant registered = clock.instant();
      Instant from =
          (registered.isAfter(first) ? registered : first)
              .plus(options.warmup())
              .truncatedTo(ChronoUnit.MILLIS);
      Instant to = from.plus(peer.window(options.window()));
      one.put("jobs", jobs);
      one.put("register_ms", registerNanos / 1_000_000);
      one.put("window_start_after_first_ms", Duration.between(first, from).toMillis());
      sleepUntil(to);
      Instant drainEnd = to.plus(peer.drain(options.drain()));
      long expected = load.expectedIn(from, to);
      while (clock.instant().isBefore(drainEnd)
          && scheduledIn(log.snapshot(), from, to) < expected) {
        Thread.sleep(50);
      }
      Punctuality punctuality = Punctuality.of(log.snapshot(), load, from, to);
      one.setAll(punctuality.json());
      // closed without waiting for a quiet moment: a steady load never has one
    }
  }

  /** Fires logged whose instant falls in {@code [from, to)}, repeats included. */
  private static long scheduledIn(FireLog.Fires fires, Instant from, Instant to) {
    long a = FireLog.micros(from);
    long b = FireLog.micros(to);
    long n = 0;
    for (long at : fires.scheduled()) {
      if (at >= a && at < b) {
        n++;
      }
    }
    return n;
  }

  private void sleepUntil(Instant at) throws InterruptedException {
    Duration left = Duration.between(clock.instant(), at);
    if (left.isPositive()) {
      Thread.sleep(left);
    }
  }
}
