package dev.chime.bench.peer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.bench.Machine;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Chime beside db-scheduler and Quartz, the same workload on the same PostgreSQL in one run: N
 * executions all due at one instant, each a no-op handler in this process. Reports executions per
 * second from the due instant to the last execution, database commits per execution, whether every
 * job ran exactly once, and Chime/peer ratios of the medians; as a table, and as one JSON object on
 * the last line (and in {@code --json FILE}).
 *
 * <p>Run: {@code ./mvnw -q -pl chime-bench -am package -DskipTests && java -cp
 * chime-bench/target/chime-bench.jar dev.chime.bench.peer.PeerBench --help}.
 */
public final class PeerBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;

  /** Registrations per second seen so far, by peer: sets how far ahead the next due instant is. */
  private final Map<PeerKind, Double> registerRate = new EnumMap<>(PeerKind.class);

  public PeerBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    quietLogs();
    System.exit(new PeerBench(System.out).run(args));
  }

  /**
   * The schedulers' own INFO lines (Quartz's banner, Chime's engine start and stop) to WARN, and
   * Chime's line per run outcome ({@code chime.runs}), which at hundreds of fires a second would
   * bury the suite's output and cost the node under test its CPU.
   */
  public static void quietLogs() {
    for (String name :
        List.of("org.quartz", "com.github.kagkarlsson", "dev.chime", "com.zaxxer", "chime.runs")) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  /** Whether a PostgreSQL server answers at {@code url}. */
  public static boolean postgresAnswers(String url) {
    return new PeerDatabase(url).answers();
  }

  /** Runs the bench; returns the exit status (2 for a bad command line). */
  public int run(String[] args) throws Exception {
    return new BenchCommand<>("PeerBench", PeerOptions.USAGE, PeerOptions::parse, PeerReport::print)
        .run(args, out, this::measure);
  }

  /** Every round of every peer at every job count, and their summary. */
  public ObjectNode measure(PeerOptions options) throws InterruptedException {
    ObjectNode result = BenchCommand.result("PeerBench");
    ObjectNode machine = (ObjectNode) result.path("machine");
    ArrayNode notes = result.putArray("notes");
    PeerDatabase pg = new PeerDatabase(options.postgres());
    List<PeerKind> peers = new ArrayList<>(options.peers());
    if (peers.stream().anyMatch(kind -> kind.onPostgres)) {
      if (pg.answers()) {
        machine.put("postgresql", pg.serverVersion());
      } else {
        peers.removeIf(kind -> kind.onPostgres);
        notes.add("no PostgreSQL answered at " + options.postgres() + ": its peers were left out");
      }
    }
    ObjectNode settings = result.putObject("settings");
    ArrayNode rounds = result.putArray("rounds");
    // rounds outermost and peers innermost, so that a busy moment of the machine falls on all
    for (int round = 1; round <= options.rounds(); round++) {
      for (int jobs : options.jobs()) {
        for (PeerKind kind : peers) {
          if (kind.isQuartz() && jobs > options.quartzMaxJobs()) {
            continue;
          }
          out.printf("round %d, %d jobs, %s ...%n", round, jobs, kind.id);
          ObjectNode one = round(kind, jobs, options.maxWait(), pg, settings);
          one.put("round", round);
          rounds.add(one);
          out.printf(
              "  %s executions/s, %s commits per execution, %d of %d ran, %d twice%n",
              one.path("executions_per_s").asText(),
              one.path("commits_per_execution").asText("-"),
              one.path("distinct").asLong(),
              jobs,
              one.path("repeated").asLong());
        }
      }
    }
    if (options.jobs().stream().anyMatch(n -> n > options.quartzMaxJobs())) {
      notes.add("Quartz ran only at job counts up to " + options.quartzMaxJobs());
    }
    machine.put("load_average_after", Machine.loadAverage());
    PeerReport.summarize(result, options.jobs(), peers.stream().map(kind -> kind.id).toList());
    notes.add(
        "executions/s: executions counted by the handler over the time from the due instant to the"
            + " last execution; Chime claims and writes its runs up to its lookahead (2 s) ahead of"
            + " the instant, a burst of more than 1,000 up to three lookaheads (6 s; the charged"
            + " rate counts those, or the time from the start of registering to the instant when"
            + " shorter), Quartz acquires triggers up to its idle wait (30 s) ahead, db-scheduler"
            + " fetches only what is due");
    notes.add(
        "commits: pg_stat_database.xact_commit of the peer's own database, from after the jobs were"
            + " registered to after the scheduler stopped and closed its connections");
    return result;
  }

  private ObjectNode round(
      PeerKind kind, int jobs, Duration maxWait, PeerDatabase pg, ObjectNode settings)
      throws InterruptedException {
    Executions executions = new Executions(jobs);
    Path h2 = null;
    String url;
    String user;
    if (kind.onPostgres) {
      url = pg.fresh(kind.databaseName());
      user = pg.user();
    } else {
      try {
        h2 = Files.createTempDirectory("chime-peerbench");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      url = "jdbc:h2:file:" + h2.resolve("chime") + ";DB_CLOSE_ON_EXIT=FALSE";
      user = "sa";
    }
    ObjectNode one = JSON.createObjectNode();
    one.put("peer", kind.id);
    one.put("database", kind.onPostgres ? "postgresql" : "h2");
    one.put("jobs", jobs);
    one.put("load_average_before", Machine.loadAverage());
    try {
      measureRound(kind, jobs, maxWait, pg, url, user, executions, one, settings);
    } finally {
      if (kind.onPostgres) {
        pg.drop(kind.databaseName());
      } else {
        deleteRecursively(h2);
      }
    }
    one.put("load_average_after", Machine.loadAverage());
    return one;
  }

  private void measureRound(
      PeerKind kind,
      int jobs,
      Duration maxWait,
      PeerDatabase pg,
      String url,
      String user,
      Executions executions,
      ObjectNode one,
      ObjectNode settings)
      throws InterruptedException {
    OptionalLong before;
    long fromNanos;
    boolean all;
    long stoppedNanos;
    Duration lead;
    try (Peer peer = kind.open(url, user, executions)) {
      peer.start();
      settings.set(kind.id, JSON.valueToTree(peer.settings()));
      Instant due = dueInstant(kind, jobs);
      lead = Duration.between(Instant.now(), due);
      long registerStart = System.nanoTime();
      peer.register(jobs, due);
      long registerNanos = System.nanoTime() - registerStart;
      registerRate.put(kind, jobs * 1e9 / Math.max(1, registerNanos));
      one.put("register_ms", registerNanos / 1_000_000);
      before = kind.onPostgres ? pg.commits(kind.databaseName()) : OptionalLong.empty();
      Duration early = Duration.between(Instant.now(), due);
      if (early.isPositive()) {
        Thread.sleep(early);
        fromNanos = System.nanoTime();
      } else {
        fromNanos = System.nanoTime();
        one.put(
            "note",
            "registration ended "
                + early.negated().toMillis()
                + " ms after the due instant; measured from its end");
      }
      all = executions.awaitAll(maxWait);
      long waitedNanos = System.nanoTime();
      peer.stop();
      stoppedNanos = System.nanoTime();
      one.set("database_after", JSON.valueToTree(peer.check()));
      long endNanos = all ? executions.lastNanos() : waitedNanos;
      double seconds = Math.max(1, endNanos - fromNanos) / 1e9;
      one.put("complete", all);
      one.put("executions", executions.total());
      one.put("distinct", executions.distinct());
      one.put("repeated", executions.repeated());
      one.put("missing", executions.missing());
      one.put(
          "first_ms",
          executions.total() == 0 ? -1 : (executions.firstNanos() - fromNanos) / 1_000_000);
      one.put("measured_ms", Math.round(seconds * 1000));
      one.put("stopped_ms", (stoppedNanos - fromNanos) / 1_000_000);
      one.put("executions_per_s", Math.round(executions.total() / seconds));
      one.put(
          "executions_per_s_until_written",
          Math.round(executions.total() * 1e9 / Math.max(1, stoppedNanos - fromNanos)));
      if (kind == PeerKind.CHIME || kind == PeerKind.CHIME_H2) {
        // Chime claims and marks its fires started up to the lookahead before the instant, and a
        // burst of more than 1,000 up to three lookaheads before it: charged the longest it may,
        // no longer than from the start of the registration to the instant
        Duration look = ChimePeer.LOOKAHEAD.multipliedBy(jobs > 1_000 ? 3 : 1);
        double ahead = (look.compareTo(lead) < 0 ? look : lead).toMillis() / 1e3;
        one.put(
            "executions_per_s_lookahead_charged",
            Math.round(executions.total() / (seconds + ahead)));
      }
    }
    if (kind.onPostgres) {
      Thread.sleep(500); // the server publishes a closed session's counts at once; give it a moment
      OptionalLong after = pg.commits(kind.databaseName());
      if (before.isPresent() && after.isPresent() && executions.total() > 0) {
        long commits = after.getAsLong() - before.getAsLong();
        one.put("commits", commits);
        one.put(
            "commits_per_execution", Math.round(commits * 1000.0 / executions.total()) / 1000.0);
      }
    }
  }

  /**
   * Far enough ahead that the jobs are registered before it: 2 s, plus one and a half times what
   * registering took this peer last time (at first, 2,000 a second), to the millisecond.
   */
  private Instant dueInstant(PeerKind kind, int jobs) {
    double rate = registerRate.getOrDefault(kind, 2_000.0);
    long leadMs = 2_000 + Math.round(1.5 * jobs * 1000 / rate);
    return Instant.now().plusMillis(leadMs).truncatedTo(ChronoUnit.MILLIS);
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the bench's H2 folder " + dir, e);
    }
  }
}
