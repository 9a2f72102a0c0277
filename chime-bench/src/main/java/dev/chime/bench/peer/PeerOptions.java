package dev.chime.bench.peer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What one PeerBench run does, read from its command line. */
public record PeerOptions(
    List<Integer> jobs,
    int rounds,
    List<PeerKind> peers,
    String postgres,
    Duration maxWait,
    int quartzMaxJobs,
    Optional<Path> json,
    boolean help)
    implements BenchCommand.Options {

  static final String USAGE =
      """
      PeerBench: N executions due at one instant, each a no-op handler in this process, fired by
      Chime's engine (embedded, chime-core alone), db-scheduler (lock-and-fetch) and Quartz
      (JobStoreTX, clustered), each on a fresh PostgreSQL database per round; and Chime alone on
      an embedded H2 file database.

        --jobs N[,N...]        job counts (10000,40000,80000)
        --rounds R             rounds at every count; the report takes medians (3)
        --peers P[,P...]       chime, db-scheduler, quartz, quartz-defaults, chime-h2 (all)
        --max-seconds S        longest wait for one round's executions; a slower peer is measured
                               over what it did by then (60)
        --quartz-max-jobs N    Quartz runs only at job counts up to N: registering tens of
                               thousands of its triggers alone takes minutes (no limit)
      """
          + BenchCommand.COMMON_FLAGS;

  public PeerOptions {
    if (jobs.isEmpty() || jobs.stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("--jobs needs counts of at least 1, got " + jobs);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
    }
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("--peers names no peer");
    }
    jobs = List.copyOf(jobs);
    peers = List.copyOf(peers);
  }

  public static PeerOptions parse(String[] args) {
    List<Integer> jobs = List.of(10_000, 40_000, 80_000);
    int rounds = 3;
    List<PeerKind> peers = List.of(PeerKind.values());
    String pg = BenchCommand.POSTGRES;
    long maxSeconds = 60;
    int quartzMaxJobs = Integer.MAX_VALUE;
    Optional<Path> json = Optional.empty();
    boolean help = Flags.help(args);
    for (Flags.Flag flag : Flags.read(args)) {
      String value = flag.value();
      switch (flag.name()) {
        case "--jobs" -> jobs = Flags.counts(value, ",");
        case "--rounds" -> rounds = Integer.parseInt(value);
        case "--peers" -> peers = Flags.peers(value, PeerKind.values(), kind -> kind.id);
        case "--pg" -> pg = value;
        case "--max-seconds" -> maxSeconds = Long.parseLong(value);
        case "--quartz-max-jobs" -> quartzMaxJobs = Integer.parseInt(value);
        case "--json" -> json = Optional.of(Path.of(value));
        default ->
            throw new IllegalArgumentException("unknown option " + flag.name() + "; see --help");
      }
    }
    return new PeerOptions(
        jobs, rounds, peers, pg, Duration.ofSeconds(maxSeconds), quartzMaxJobs, json, help);
  }
}
