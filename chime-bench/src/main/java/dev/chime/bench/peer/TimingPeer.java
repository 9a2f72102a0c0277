package dev.chime.bench.peer;

import java.time.Duration;

/**
 * The schedulers TimingBench runs, each at the settings its documentation recommends for precise
 * firing, by the name given on its command line.
 */
enum TimingPeer {
  /**
   * Chime's engine embedded, every setting the node's default (poll 500 ms, lookahead 2 s), with
   * the node's {@code TableVacuum} (auto: it vacuums where the server's autovacuum is off).
   */
  CHIME("chime", Duration.ofMillis(500)),
  /**
   * Chime's engine embedded without the vacuum a node runs where autovacuum is off: what an
   * application that embeds chime-core alone gets on such a server. Not among the defaults.
   */
  CHIME_UNVACUUMED("chime-unvacuumed", Duration.ofMillis(500)),
  /** db-scheduler polling every 100 ms, lock-and-fetch: the PeerBench tuning. */
  DB_SCHEDULER("db-scheduler", DbSchedulerPeer.Tuning.TUNED.pollingInterval),
  /** db-scheduler with its builder's defaults: polling every 10 s. */
  DB_SCHEDULER_DEFAULTS("db-scheduler-defaults", DbSchedulerPeer.Tuning.SHIPPED.pollingInterval),
  /** Quartz, JDBC job store, clustered, batch acquisition tuned as in PeerBench. */
  QUARTZ("quartz", Duration.ofMillis(0));

  final String id;

  /** How often it looks at the database when nothing wakes it: a fire may wait that long. */
  final Duration poll;

  TimingPeer(String id, Duration poll) {
    this.id = id;
    this.poll = poll;
  }

  Peer open(String url, String user, Executions executions) {
    return switch (this) {
      case CHIME -> new ChimePeer(url, user, executions, true, true);
      case CHIME_UNVACUUMED -> new ChimePeer(url, user, executions, true, false);
      case DB_SCHEDULER -> new DbSchedulerPeer(url, user, executions, DbSchedulerPeer.Tuning.TUNED);
      case DB_SCHEDULER_DEFAULTS ->
          new DbSchedulerPeer(url, user, executions, DbSchedulerPeer.Tuning.SHIPPED);
      case QUARTZ -> new QuartzPeer(url, user, executions, QuartzPeer.Tuning.TUNED);
    };
  }

  /** The window must hold two of its polls, or its lateness is one poll's phase. */
  Duration window(Duration asked) {
    Duration twoPolls = poll.multipliedBy(2);
    return asked.compareTo(twoPolls) >= 0 ? asked : twoPolls;
  }

  /** How long after the window the fires scheduled in it may still come: a poll and a second. */
  Duration drain(Duration asked) {
    Duration pollAndASecond = poll.plusSeconds(1);
    return asked.compareTo(pollAndASecond) >= 0 ? asked : pollAndASecond;
  }

  /** The database each round of this peer gets afresh, named after this process too. */
  String databaseName() {
    return "timing_" + id.replace('-', '_') + "_" + ProcessHandle.current().pid();
  }
}
