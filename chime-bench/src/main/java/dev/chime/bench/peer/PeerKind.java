package dev.chime.bench.peer;

/** The schedulers PeerBench runs, by the name given on its command line. */
enum PeerKind {
  CHIME("chime", true),
  DB_SCHEDULER("db-scheduler", true),
  QUARTZ("quartz", true),
  QUARTZ_DEFAULTS("quartz-defaults", true),
  CHIME_H2("chime-h2", false);

  final String id;
  final boolean onPostgres;

  PeerKind(String id, boolean onPostgres) {
    this.id = id;
    this.onPostgres = onPostgres;
  }

  Peer open(String url, String user, Executions executions) {
    return switch (this) {
      case CHIME, CHIME_H2 -> new ChimePeer(url, user, executions);
      case DB_SCHEDULER -> new DbSchedulerPeer(url, user, executions, DbSchedulerPeer.Tuning.TUNED);
      case QUARTZ -> new QuartzPeer(url, user, executions, QuartzPeer.Tuning.TUNED);
      case QUARTZ_DEFAULTS -> new QuartzPeer(url, user, executions, QuartzPeer.Tuning.SHIPPED);
    };
  }

  boolean isQuartz() {
    return this == QUARTZ || this == QUARTZ_DEFAULTS;
  }

  /**
   * The database each round of this peer gets afresh on PostgreSQL; named after this process too,
   * so that two benches on one server (a test beside a measurement) never drop each other's.
   */
  String databaseName() {
    return "bench_peer_" + id.replace('-', '_') + "_" + ProcessHandle.current().pid();
  }
}
