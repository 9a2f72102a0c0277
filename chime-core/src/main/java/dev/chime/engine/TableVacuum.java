package dev.chime.engine;

import dev.chime.store.Database;
import dev.chime.store.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vacuums Chime's busiest tables on PostgreSQL when nothing else does.
 *
 * <p>Every fire updates its schedule row two or three times and inserts a run that is updated once
 * more; PostgreSQL leaves the old row versions behind until a vacuum removes them. Without one, the
 * claim and the start read through more and more dead rows: at 2,000 fires/s a node on this
 * project's test server (autovacuum off) fell from 2,000 to 1,300 fires/s within 20 s, with one
 * database process at a full core. With {@link Mode#AUTO} Chime asks the server whether its
 * autovacuum runs and, only when it does not, vacuums {@code schedules} and {@code runs} itself
 * when their dead rows pass a share of the live ones, checking every {@link #CHECK_EVERY}.
 *
 * <p>The planner's statistics are renewed apart ({@code ANALYZE}), when a tenth of a table's rows
 * changed since, and at most once every {@link #ANALYZE_EVERY} per table unless it grew by half:
 * under load a table passes its dead-row threshold every second or two, and analyzing it each time,
 * as {@code VACUUM (ANALYZE)} does, was most of the cost (at 3,000 fires/s, about 100 ms of each
 * 130 ms vacuum of 30,000 schedules), while the statistics of the same rows hardly change from one
 * second to the next.
 *
 * <p>{@code VACUUM (SKIP_LOCKED)} never waits: when another node's vacuum holds a table, this one
 * skips it. It needs the table's owner (the user that ran Chime's migrations); without that right
 * it logs once and stops.
 */
public final class TableVacuum implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TableVacuum.class);

  /** How often the dead-row counts are read. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  /** Dead rows above this share of the live ones (plus {@link #MIN_DEAD}) start a vacuum. */
  static final double DEAD_SHARE = 0.1;

  static final long MIN_DEAD = 2_000;

  /** Rows changed since the last analysis above this share of the live ones start an analysis. */
  static final double CHANGED_SHARE = 0.1;

  /**
   * The shortest time between two analyses of one table by one node, unless it grew by half since:
   * a new day's partition of runs, analyzed while it held mostly running runs, would else be read
   * for a minute as if most of its runs were running (a sequential scan where the partial index of
   * running runs serves).
   */
  static final Duration ANALYZE_EVERY = Duration.ofMinutes(1);

  static final double GROWN = 1.5;

  /** The tables vacuumed, in the order they are checked (or the partitions of {@code runs}). */
  static final List<String> TABLES = List.of("schedules", "runs");

  /** Whether Chime vacuums its own tables. */
  public enum Mode {
    /** Only where the database is PostgreSQL and its autovacuum is off. */
    AUTO,
    /** Always on PostgreSQL. */
    ON,
    /** Never. */
    OFF;

    public static Mode parse(String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "on" -> ON;
        case "off" -> OFF;
        default ->
            throw new IllegalArgumentException("must be auto, on or off, got '" + text + "'");
      };
    }
  }

  /** What one check did: the tables (and partitions of {@code runs}) vacuumed and analyzed. */
  public record Pass(List<String> vacuumed, List<String> analyzed) {}

  private final Database db;
  private final Clock clock;
  private final Thread thread;
  private final StopSignal stop = new StopSignal();

  /** When this node last analyzed each table, and how many live rows the table had then. */
  private record Analysis(Instant at, long live) {}

  private final Map<String, Analysis> analyzed = new HashMap<>();

  private TableVacuum(Database db, String nodeId, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.thread =
        Thread.ofPlatform()
            .name("chime-vacuum-" + nodeId)
            .daemon(true)
            .uncaughtExceptionHandler((t, e) -> log.error("table vacuum died", e))
            .unstarted(this::runLoop);
  }

  /**
   * A vacuum keeper for {@code db}, not yet started, or none when {@code mode} and the database say
   * that Chime need not vacuum (not PostgreSQL, off, or the server's autovacuum runs).
   */
  public static Optional<TableVacuum> create(Database db, Mode mode, String nodeId) {
    return create(db, mode, nodeId, Clock.systemUTC());
  }

  /** As {@link #create(Database, Mode, String)}, spacing analyses by {@code clock}. */
  public static Optional<TableVacuum> create(Database db, Mode mode, String nodeId, Clock clock) {
    Objects.requireNonNull(mode, "mode");
    if (mode == Mode.OFF || db.dialect() != Dialect.POSTGRESQL) {
      return Optional.empty();
    }
    if (mode == Mode.AUTO) {
      if (serverAutovacuum(db)) {
        return Optional.empty();
      }
      log.warn(
          "PostgreSQL's autovacuum is off on this server: Chime vacuums its own tables ({})"
              + " when their dead rows pile up; turn autovacuum on, as PostgreSQL recommends,"
              + " or set CHIME_DB_VACUUM=off to leave it to you",
          String.join(", ", TABLES));
    }
    return Optional.of(new TableVacuum(db, nodeId, clock));
  }

  private static boolean serverAutovacuum(Database db) {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT current_setting('autovacuum')")) {
      return row.next() && row.getString(1).equals("on");
    } catch (SQLException e) {
      log.warn(
          "cannot read PostgreSQL's autovacuum setting ({}); assuming it runs", e.getMessage());
      return true;
    }
  }

  public void start() {
    thread.start();
  }

  /**
   * One check on the caller's thread: vacuums each table whose dead rows passed the threshold, and
   * analyzes each whose changed rows did, unless this node analyzed it lately.
   */
  public Pass runOnce() throws SQLException {
    List<String> due = new ArrayList<>();
    List<String> toAnalyze = new ArrayList<>();
    Instant now = clock.instant();
    try (Connection connection = db.dataSource().getConnection()) {
      connection.setAutoCommit(true);
      // runs partitioned by day has no rows of its own: its partitions are counted and vacuumed
      // one by one, so a vacuum reads today's busy partition, not the whole history
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT relname, n_live_tup, n_dead_tup, n_mod_since_analyze"
                      + " FROM pg_stat_user_tables"
                      + " WHERE relid IN ('schedules'::regclass, 'runs'::regclass)"
                      + " OR relid IN (SELECT inhrelid FROM pg_inherits"
                      + " WHERE inhparent = 'runs'::regclass) ORDER BY relname <> 'schedules'")) {
        while (rows.next()) {
          long live = rows.getLong(2);
          long dead = rows.getLong(3);
          long changed = rows.getLong(4);
          String table = rows.getString(1);
          if (dead > MIN_DEAD + DEAD_SHARE * live) {
            due.add(table);
          }
          Analysis last = analyzed.get(table);
          if (changed > MIN_DEAD + CHANGED_SHARE * live
              && (last == null
                  || !now.isBefore(last.at().plus(ANALYZE_EVERY))
                  || live > GROWN * last.live())) {
            toAnalyze.add(table);
            analyzed.put(table, new Analysis(now, live));
          }
        }
      }
      for (String table : due) {
        run(connection, "VACUUM (SKIP_LOCKED) ", table);
      }
      for (String table : toAnalyze) {
        run(connection, "ANALYZE (SKIP_LOCKED) ", table);
      }
    }
    return new Pass(List.copyOf(due), List.copyOf(toAnalyze));
  }

  private static void run(Connection connection, String command, String table) throws SQLException {
    long startNanos = System.nanoTime();
    try (Statement statement = connection.createStatement()) {
      // VACUUM runs outside a transaction: the connection is in autocommit
      statement.execute(command + "\"" + table.replace("\"", "\"\"") + "\"");
    }
    log.debug(
        "{}{} in {} ms",
        command,
        table,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  private void runLoop() {
    boolean failing = false;
    while (stop.pause(CHECK_EVERY)) {
      try {
        runOnce();
        if (failing) {
          log.info("table vacuum works again");
          failing = false;
        }
      } catch (SQLException e) {
        if ("42501".equals(e.getSQLState())) {
          log.error(
              "Chime's database user may not vacuum its tables ({}); vacuum stops, so claims"
                  + " slow down as dead rows pile up: turn PostgreSQL's autovacuum on",
              e.getMessage());
          return;
        }
        if (!failing) {
          log.warn("table vacuum failed ({}); trying again every {}", e.getMessage(), CHECK_EVERY);
          failing = true;
        }
      } catch (RuntimeException e) {
        if (!failing) {
          log.warn("table vacuum failed; trying again every {}", CHECK_EVERY, e);
          failing = true;
        }
      }
    }
  }

  /** Stops the thread, waiting at most a few seconds for a vacuum under way. Idempotent. */
  @Override
  public void close() {
    stop.stopAndAwait(thread, Duration.ofSeconds(5));
  }
}
