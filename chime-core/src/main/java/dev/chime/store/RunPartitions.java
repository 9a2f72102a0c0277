package dev.chime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The daily partitions of {@code runs} on PostgreSQL (schema version 5): one per UTC day of {@code
 * scheduled_at}, named {@code runs_pYYYYMMDD}, and {@code runs_default} for any run outside them.
 * Days are made ahead of time and whole days of old history are dropped, instead of their rows
 * being deleted one by one.
 *
 * <p>Several nodes may do this at once: each change runs in its own transaction under one
 * transaction-level advisory lock (a node that does not get it leaves the work to the one that has
 * it), and waits at most {@link #LOCK_WAIT} for the table locks it needs. That wait is shorter than
 * PostgreSQL's {@code deadlock_timeout} (1 s by default), so in any wait with the engine's
 * transactions this one gives up first and the engine goes on; what was not done is tried again at
 * the next pass.
 */
public final class RunPartitions {
  /** The partition that catches runs outside every daily range. */
  public static final String DEFAULT_PARTITION = "runs_default";

  /** The longest a change waits for a table lock, during which the engine's statements wait. */
  static final String LOCK_WAIT = "500ms";

  /** The key of the advisory lock every node takes to change partitions (ASCII "chimerun"). */
  private static final long ADVISORY_KEY = 0x6368696d6572756eL;

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

  private final Database db;
  private final boolean possible;
  private volatile Boolean partitioned;

  public RunPartitions(Database db) {
    this.db = db;
    this.possible = db.dialect().partitionsRuns();
  }

  /** One partition of {@code runs}: its range of {@code scheduled_at}, from (inclusive) to. */
  public record Partition(String name, Optional<Instant> from, Optional<Instant> to) {
    boolean covers(Instant start, Instant end) {
      return from.map(f -> !f.isAfter(start)).orElse(true)
          && to.map(t -> !t.isBefore(end)).orElse(true);
    }
  }

  /** What a change of partitions did; {@code busy} when it gave way to another node or a lock. */
  public record Change(List<String> done, List<String> kept, int runsMoved, boolean busy) {
    public Change {
      done = List.copyOf(done);
      kept = List.copyOf(kept);
    }

    static final Change NONE = new Change(List.of(), List.of(), 0, false);
  }

  /** Whether {@code runs} is partitioned here: on PostgreSQL from schema version 5 on. */
  public boolean active() {
    Boolean known = partitioned;
    if (known == null) {
      known =
          possible
              && db.inTransaction(
                  connection -> {
                    try (Statement statement = connection.createStatement();
                        ResultSet row =
                            statement.executeQuery(
                                "SELECT relkind = 'p' FROM pg_class"
                                    + " WHERE oid = to_regclass('runs')")) {
                      return row.next() && row.getBoolean(1);
                    }
                  });
      partitioned = known;
    }
    return known;
  }

  /** The partitions by day (or wider ranges), oldest first; without the default partition. */
  public List<Partition> list() {
    if (!active()) {
      return List.of();
    }
    return db.inTransaction(this::list);
  }

  private List<Partition> list(Connection connection) throws SQLException {
    List<Partition> partitions = new ArrayList<>();
    // the bounds are read back as text and cast in the same session, so its time zone cancels out
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT name,"
                    + " (regexp_match(bound, 'FROM \\(''([^'']*)''\\)'))[1]::timestamptz AS from_at,"
                    + " (regexp_match(bound, 'TO \\(''([^'']*)''\\)'))[1]::timestamptz AS to_at"
                    + " FROM (SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound"
                    + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " WHERE i.inhparent = 'runs'::regclass) p WHERE bound <> 'DEFAULT'")) {
      while (rows.next()) {
        partitions.add(
            new Partition(
                rows.getString("name"),
                db.dialect().getInstant(rows, "from_at"),
                db.dialect().getInstant(rows, "to_at")));
      }
    }
    partitions.sort((a, b) -> a.to().orElse(Instant.MAX).compareTo(b.to().orElse(Instant.MAX)));
    return partitions;
  }

  /**
   * Makes the daily partitions of {@code today} and the {@code daysAhead} days after it that no
   * partition covers yet. Runs of such a day already in the default partition move into the new
   * one.
   */
  public Change createAhead(LocalDate today, int daysAhead) {
    if (!active()) {
      return Change.NONE;
    }
    List<String> created = new ArrayList<>();
    int moved = 0;
    for (LocalDate day : missing(list(), today, daysAhead)) {
      Optional<Integer> done = createDay(day);
      if (done.isEmpty()) {
        return new Change(created, List.of(), moved, true);
      }
      if (done.get() >= 0) {
        created.add(name(day));
        moved += done.get();
      }
    }
    return new Change(created, List.of(), moved, false);
  }

  private static List<LocalDate> missing(List<Partition> partitions, LocalDate today, int ahead) {
    List<LocalDate> missing = new ArrayList<>();
    for (int i = 0; i <= ahead; i++) {
      LocalDate day = today.plusDays(i);
      if (partitions.stream().noneMatch(p -> p.covers(start(day), start(day.plusDays(1))))) {
        missing.add(day);
      }
    }
    return missing;
  }

  /**
   * Makes one day's partition if none covers it: the runs moved into it from the default partition,
   * -1 when it was there already, empty when another node or a lock was in the way.
   */
  private Optional<Integer> createDay(LocalDate day) {
    return changeUnderLock(
        connection -> {
          if (!missing(list(connection), day, 0).contains(day)) {
            return -1;
          }
          String name = name(day);
          String from = literal(start(day));
          String to = literal(start(day.plusDays(1)));
          try (Statement statement = connection.createStatement()) {
            // made apart and attached, so that runs of that day which fell into the default
            // partition meanwhile move along; attaching leaves the other partitions readable
            statement.execute("CREATE TABLE " + name + " (LIKE runs INCLUDING DEFAULTS)");
            int moved =
                statement.executeUpdate(
                    "WITH moved AS (DELETE FROM "
                        + DEFAULT_PARTITION
                        + " WHERE scheduled_at >= "
                        + from
                        + " AND scheduled_at < "
                        + to
                        + " RETURNING *) INSERT INTO "
                        + name
                        + " SELECT * FROM moved");
            statement.execute(
                "ALTER TABLE runs ATTACH PARTITION "
                    + name
                    + " FOR VALUES FROM ("
                    + from
                    + ") TO ("
                    + to
                    + ")");
            return moved;
          }
        });
  }

  /**
   * Drops the partitions whose whole range lies before {@code cutoff}, oldest first, except those
   * that still hold a queued or running run (kept, to be tried again at the next pass). Runs of a
   * dropped partition that finished at or after {@code cutoff} (a late retry of an old instant) are
   * moved to the default partition first, so that no run is removed before it is {@code cutoff}
   * old.
   */
  public Change dropOlderThan(Instant cutoff) {
    if (!active()) {
      return Change.NONE;
    }
    List<String> dropped = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    int moved = 0;
    for (Partition partition : list()) {
      if (partition.to().isEmpty() || partition.to().get().isAfter(cutoff)) {
        break;
      }
      String name = quoted(partition.name());
      // looked at first without a lock, so that a partition that must stay costs no lock at all
      if (db.inTransaction(connection -> holdsUnfinished(connection, name))) {
        kept.add(partition.name());
        continue;
      }
      Optional<Integer> done =
          changeUnderLock(
              connection -> {
                try (Statement statement = connection.createStatement()) {
                  // every statement on runs takes this lock first: no run can come in meanwhile
                  statement.execute("LOCK TABLE ONLY runs IN ACCESS EXCLUSIVE MODE");
                }
                if (holdsUnfinished(connection, name)) {
                  return -1;
                }
                return dropPartition(connection, name, cutoff);
              });
      if (done.isEmpty()) {
        return new Change(dropped, kept, moved, true);
      }
      if (done.get() < 0) {
        kept.add(partition.name());
      } else {
        dropped.add(partition.name());
        moved += done.get();
      }
    }
    return new Change(dropped, kept, moved, false);
  }

  private static int dropPartition(Connection connection, String name, Instant cutoff)
      throws SQLException {
    int moved = 0;
    boolean late;
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM " + name + " WHERE finished_at >= ?)")) {
      Dialect.POSTGRESQL.setInstant(select, 1, cutoff);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        late = row.getBoolean(1);
      }
    }
    if (late) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("ALTER TABLE runs DETACH PARTITION " + name);
      }
      // detached, the partition's range belongs to the default partition: the runs go there
      try (PreparedStatement move =
          connection.prepareStatement(
              "INSERT INTO runs SELECT * FROM " + name + " WHERE finished_at >= ?")) {
        Dialect.POSTGRESQL.setInstant(move, 1, cutoff);
        moved = move.executeUpdate();
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE " + name);
    }
    return moved;
  }

  private static boolean holdsUnfinished(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM "
                    + name
                    + " WHERE status IN ('queued', 'running'))")) {
      row.next();
      return row.getBoolean(1);
    }
  }

  /**
   * Runs {@code work} in a transaction that holds the partitions' advisory lock and waits at most
   * {@link #LOCK_WAIT} for any table lock; empty when another node holds the advisory lock or a
   * table lock did not come in time (the transaction is then rolled back).
   */
  private <T> Optional<T> changeUnderLock(Database.TxWork<T> work) {
    try {
      return db.inTransaction(
          connection -> {
            try (PreparedStatement lock =
                connection.prepareStatement(
                    "SELECT pg_try_advisory_xact_lock(?), set_config('lock_timeout', ?, true)")) {
              lock.setLong(1, ADVISORY_KEY);
              lock.setString(2, LOCK_WAIT);
              try (ResultSet row = lock.executeQuery()) {
                row.next();
                if (!row.getBoolean(1)) {
                  return Optional.empty();
                }
              }
            }
            return Optional.of(work.run(connection));
          });
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
        return Optional.empty(); // lock_not_available: the engine was busy; next pass
      }
      throw e;
    }
  }

  /** The name of a day's partition. */
  public static String name(LocalDate day) {
    return "runs_p" + DAY.format(day);
  }

  private static Instant start(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static String literal(Instant instant) {
    return "'" + instant + "'";
  }

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
