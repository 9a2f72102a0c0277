package dev.chime.bench.peer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    boolean help) {

  static final String USAGE =
      """
      PeerBench: N executions due at one instant, each a no-op handler in this process, fired by
      Chime's engine (embedded, chime-core alone), db-scheduler (lock-and-fetch) and Quartz
      (JobStoreTX, clustered), each on a fresh PostgreSQL database per round; and Chime alone on
      an embedded H2 file database.

        --jobs N[,N...]        job counts (10000,40000,80000)
        --rounds R             rounds at every count; the report takes medians (3)
        --peers P[,P...]       chime, db-scheduler, quartz, quartz-defaults, chime-h2 (all)
        --pg URL               a database on the PostgreSQL server, through which the bench makes
                               and drops its own (jdbc:postgresql://127.0.0.1:5432/test?user=postgres)
        --max-seconds S        longest wait for one round's executions; a slower peer is measured
                               over what it did by then (60)
        --quartz-max-jobs N    Quartz runs only at job counts up to N: registering tens of
                               thousands of its triggers alone takes minutes (no limit)
        --json FILE            also write the result there
        --help                 this text

      The last line printed is the result as one JSON object.
      """;

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
    String pg = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    long maxSeconds = 60;
    int quartzMaxJobs = Integer.MAX_VALUE;
    Optional<Path> json = Optional.empty();
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
        case "--jobs" -> {
          List<Integer> counts = new ArrayList<>();
          for (String n : value.split(",")) {
            counts.add(Integer.parseInt(n.strip().replace("_", "")));
          }
          jobs = counts;
        }
        case "--rounds" -> rounds = Integer.parseInt(value);
        case "--peers" -> {
          List<PeerKind> kinds = new ArrayList<>();
          for (String id : value.split(",")) {
            kinds.add(PeerKind.of(id.strip()));
          }
          peers = kinds;
        }
        case "--pg" -> pg = value;
        case "--max-seconds" -> maxSeconds = Long.parseLong(value);
        case "--quartz-max-jobs" -> quartzMaxJobs = Integer.parseInt(value);
        case "--json" -> json = Optional.of(Path.of(value));
        default -> throw new IllegalArgumentException("unknown option " + flag + "; see --help");
      }
    }
    return new PeerOptions(
        jobs, rounds, peers, pg, Duration.ofSeconds(maxSeconds), quartzMaxJobs, json, help);
  }
}
