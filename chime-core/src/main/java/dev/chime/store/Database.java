package dev.chime.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A pooled connection to Chime's database, migrated to the current schema when opened. */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** How long opening the database waits for its first connection, at least. */
  static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

  /** Hikari's shortest connection and validation timeout. */
  private static final long MIN_WAIT_MILLIS = 250;

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final AtomicBoolean unreachable = new AtomicBoolean();
  private volatile long unreachableSinceNanos;
  private final DatabaseSettings settings;

  private Database(HikariDataSource dataSource, Dialect dialect, DatabaseSettings settings) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.settings = settings;
  }

  /** Opens the pool and applies pending migrations; throws if the database cannot be reached. */
  public static Database open(DatabaseSettings settings) {
    return open(settings, Optional.empty());
  }

  /**
   * Opens the pool and migrates the schema only up to the last version before {@code version}: for
   * tests of a migration and for measurements of an older schema beside the current one.
   */
  public static Database openBefore(DatabaseSettings settings, String version) {
    return open(settings, Optional.of(MigrationVersion.fromVersion(version)));
  }

  private static Database open(DatabaseSettings settings, Optional<MigrationVersion> before) {
    Dialect dialect = Dialect.fromUrl(settings.url());
    HikariConfig config = new HikariConfig();
    config.setPoolName("chime-db");
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.poolSize());
    long waitMillis = settings.connectTimeout().toMillis();
    // a caller waits this long for a connection, then fails (the API answers 503): short, so that
    // a database that is down is reported at once rather than after every caller has waited
    config.setConnectionTimeout(waitMillis);
    config.setValidationTimeout(Math.max(MIN_WAIT_MILLIS, waitMillis / 2));
    // a node started beside a database that is itself starting waits longer for its first one
    config.setInitializationFailTimeout(Math.max(STARTUP_WAIT.toMillis(), waitMillis));
    config.setAutoCommit(true);
    if (dialect == Dialect.MARIADB) {
      // READ COMMITTED: the claim's SKIP LOCKED then sees committed rows only, without gap locks.
      config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    }
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to the database at " + settings.url() + ": " + rootMessage(e), e);
    }
    try {
      FluentConfiguration flyway =
          Flyway.configure().dataSource(dataSource).locations(dialect.migrationLocation());
      if (before.isPresent()) {
        flyway.target(lastBefore(flyway.load(), before.get()));
      }
      MigrateResult result = flyway.load().migrate();
      log.info(
          "database {} ({}) at schema version {}, {} migration(s) applied",
          settings.url(),
          dialect,
          result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion,
          result.migrationsExecuted);
    } catch (RuntimeException e) {
      dataSource.close();
      throw new StoreException("cannot migrate the database: " + rootMessage(e), e);
    }
    return new Database(dataSource, dialect, settings);
  }

  private static MigrationVersion lastBefore(Flyway flyway, MigrationVersion version) {
    return Arrays.stream(flyway.info().all())
        .map(MigrationInfo::getVersion)
        .filter(v -> v != null && v.compareTo(version) < 0)
        .max(Comparator.naturalOrder())
        .orElseThrow(() -> new IllegalArgumentException("no migration before version " + version));
  }

  public Dialect dialect() {
    return dialect;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** How this database was reached, for a connection of its own outside the pool. */
  DatabaseSettings settings() {
    return settings;
  }

  /** Whether the database answers a trivial query now. */
  public boolean ping() {
    // a failure is logged once, when the database goes out of reach
    return check(Duration.ofSeconds(5)).isEmpty();
  }

  /**
   * Empty when the database answers a trivial query within about {@code timeout} (plus the wait for
   * a connection); else why it did not, in words for an operator.
   */
  public Optional<String> check(Duration timeout) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      statement.execute("SELECT 1");
      reached();
      return Optional.empty();
    } catch (SQLException | RuntimeException e) {
      lost(e);
      String root = rootMessage(e);
      return Optional.of(root == null || root.isBlank() ? "no answer" : root);
    }
  }

  /** Whether the last statement that went to the database reached it. */
  public boolean reachable() {
    return !unreachable.get();
  }

  // The state of the connection is logged when it changes, not at every failed statement: while
  // the database is away every thread of every node would otherwise log each try.
  private void reached() {
    if (unreachable.get() && unreachable.compareAndSet(true, false)) {
      log.info(
          "the database answers again, after {} s out of reach",
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - unreachableSinceNanos));
    }
  }

  private void lost(Throwable e) {
    if (!unreachable.get() && unreachable.compareAndSet(false, true)) {
      unreachableSinceNanos = System.nanoTime();
      log.warn(
          "the database is out of reach ({}); Chime keeps the work and results it holds and"
              + " tries again",
          e.getMessage());
    }
  }

  /** Work that runs inside one transaction. */
  @FunctionalInterface
  public interface TxWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * How often a transaction chosen as a deadlock victim, or failing serialization, is run again.
   */
  static final int MAX_TRIES = 5;

  /**
   * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. A
   * transaction the database aborted to break a deadlock or a serialization conflict is run again
   * (up to {@link #MAX_TRIES} times, after a short random pause), so {@code work} must not leave
   * effects outside the transaction before it returns.
   */
  public <T> T inTransaction(TxWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        T result = once(work);
        reached();
        return result;
      } catch (SQLException e) {
        if (attempt >= MAX_TRIES || !dialect.isTransient(e)) {
          StoreException failure = translate(e);
          if (failure.connectionLost()) {
            lost(e);
          }
          throw failure;
        }
        log.debug("transaction aborted by the database ({}); running it again", e.getMessage());
        pause(attempt);
      }
    }
  }

  private <T> T once(TxWork<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(connection, e);
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  private static void pause(int attempt) {
    long maxMillis = 5L << attempt;
    LockSupport.parkNanos(
        TimeUnit.MILLISECONDS.toNanos(1 + ThreadLocalRandom.current().nextLong(maxMillis)));
  }

  /** Turns a SQL failure into Chime's exception; SQLException never leaves this package. */
  StoreException translate(SQLException e) {
    return new StoreException(
        "database error (SQL state " + e.getSQLState() + "): " + e.getMessage(), e);
  }

  private static void rollbackQuietly(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
