package dev.chime.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** What one {@link LoadBench} run does, read from its command line. */
record LoadOptions(
    Mode mode,
    int schedules,
    int rate,
    Duration window,
    Duration warmup,
    Optional<String> dbUrl,
    BurstTrigger burstTrigger,
    Duration targetDelay,
    int targetFailPercent,
    Duration drain,
    int nodes,
    boolean help) {

  enum Mode {
    /** Steady load: each schedule fires every {@code schedules / rate} seconds, spread evenly. */
    INTERVAL,
    /** Every schedule due at one instant. */
    BURST
  }

  enum BurstTrigger {
    ONCE,
    /** {@code 0 * * * * *}: second 0 of every minute; the bench measures the first one. */
    CRON
  }

  static final String USAGE =
      """
      LoadBench: one Chime node under load, its HTTP target in a separate process.

        --mode interval|burst      interval: steady rate; burst: all schedules due at once (interval)
        --schedules N              number of schedules (10000)
        --rate R                   interval mode: fires per second in total; the interval is
                                   round(N / R) seconds, at least 1 (1000)
        --seconds S                interval mode: measurement window; burst mode: longest wait for
                                   the burst to arrive (30; burst 60, cron at most 55)
        --warmup W                 interval mode: seconds after the first fires left out; burst
                                   mode: seconds of warm-up fires (up to 500 a second, not
                                   counted) ending 3 s before the burst; 0 for none (5)
        --db URL                   JDBC URL (embedded H2 in a temporary folder), e.g.
                                   jdbc:postgresql://127.0.0.1:5432/test?user=postgres
                                   jdbc:mariadb://127.0.0.1:3306/test?user=root
        --burst-trigger once|cron  burst mode: a once trigger a few seconds ahead, or cron
                                   "0 * * * * *" (the next minute's second 0) (once)
        --target-delay-ms D        the target waits D ms before it answers (0)
        --target-fail-percent P    the target answers 500 to P% of calls (0)
        --drain-seconds D          longest wait after the window for runs to finish (30)
        --nodes N                  Chime nodes in this JVM on the one database (1); more than one
                                   needs --db (PostgreSQL or MariaDB)
        --help                     this text

      The node runs with CHIME_QUOTA_MIN_INTERVAL_S=1, CHIME_QUOTA_MAX_RUNNING=20000 and
      CHIME_SHUTDOWN_GRACE_S=5; any CHIME_* variable in the environment overrides the bench's
      settings (e.g. CHIME_ENGINE_BATCH_SIZE=1000). Earlier bench schedules (named loadbench-*) and their runs
      are deleted from the database first. The last line printed is the result as one JSON object.
      """;

  LoadOptions {
    if (schedules < 1) {
      throw new IllegalArgumentException("--schedules must be at least 1, got " + schedules);
    }
    if (rate < 1) {
      throw new IllegalArgumentException("--rate must be at least 1, got " + rate);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("--seconds must be positive, got " + window);
    }
    if (targetFailPercent < 0 || targetFailPercent > 100) {
      throw new IllegalArgumentException(
          "--target-fail-percent must be between 0 and 100, got " + targetFailPercent);
    }
    if (nodes < 1 || nodes > 16) {
      throw new IllegalArgumentException("--nodes must be 1 to 16, got " + nodes);
    }
    if (nodes > 1 && (dbUrl.isEmpty() || dbUrl.get().startsWith("jdbc:h2:"))) {
      throw new IllegalArgumentException(
          "--nodes "
              + nodes
              + " needs a shared database: --db jdbc:postgresql:... or jdbc:mariadb:...");
    }
  }

  /** The interval of each schedule: whole seconds, as Chime stores an interval trigger. */
  Duration interval() {
    return Duration.ofSeconds(Math.max(1, Math.round((double) schedules / rate)));
  }

  /** How long burst mode waits for every call; the next minute's cron burst must not count. */
  Duration burstWait() {
    return burstTrigger == BurstTrigger.CRON && window.toSeconds() > 55
        ? Duration.ofSeconds(55)
        : window;
  }

  static LoadOptions parse(String[] args) {
    Mode mode = Mode.INTERVAL;
    int schedules = 10_000;
    int rate = 1_000;
    Optional<Long> seconds = Optional.empty();
    long warmup = 5;
    Optional<String> db = Optional.empty();
    BurstTrigger trigger = BurstTrigger.ONCE;
    long delayMs = 0;
    int failPercent = 0;
    long drain = 30;
    int nodes = 1;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        help = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value; see --help");
      }
      String value = args[++i];
      switch (flag) {
        case "--mode" -> mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
        case "--schedules" -> schedules = Integer.parseInt(value);
        case "--rate" -> rate = Integer.parseInt(value);
        case "--seconds" -> seconds = Optional.of(Long.parseLong(value));
        case "--warmup" -> warmup = Long.parseLong(value);
        case "--db" -> db = Optional.of(value);
        case "--burst-trigger" -> trigger = BurstTrigger.valueOf(value.toUpperCase(Locale.ROOT));
        case "--target-delay-ms" -> delayMs = Long.parseLong(value);
        case "--target-fail-percent" -> failPercent = Integer.parseInt(value);
        case "--drain-seconds" -> drain = Long.parseLong(value);
        case "--nodes" -> nodes = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + flag + "; see --help");
      }
    }
    long window = seconds.orElse(mode == Mode.BURST ? 60L : 30L);
    return new LoadOptions(
        mode,
        schedules,
        rate,
        Duration.ofSeconds(window),
        Duration.ofSeconds(warmup),
        db,
        trigger,
        Duration.ofMillis(delayMs),
        failPercent,
        Duration.ofSeconds(drain),
        nodes,
        help);
  }
}
