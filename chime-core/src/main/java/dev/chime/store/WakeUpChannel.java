package dev.chime.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One connection that {@code LISTEN}s for the wake-ups changes send (see {@link WakeUps}), on
 * PostgreSQL. It is a connection of its own, outside the pool: a pooled connection held for good
 * would leave the pool one short and be retired by the pool's lifetime rules mid-listen, and one
 * given back would carry its {@code LISTEN} (and the notifications piling up on it) to its next
 * user. It names itself in {@code pg_stat_activity.application_name}.
 */
public final class WakeUpChannel implements AutoCloseable {
  private static final int MAX_APPLICATION_NAME = 63;
  private static final int VALID_CHECK_S = 5;

  private final Connection connection;
  private final PGConnection pg;

  private WakeUpChannel(Connection connection) throws SQLException {
    this.connection = connection;
    this.pg = connection.unwrap(PGConnection.class);
  }

  /** Whether {@code db} can wake nodes at once; elsewhere the nodes poll. */
  public static boolean supported(Database db) {
    return db.dialect().hasListenNotify();
  }

  /** The {@code application_name} of the channel named {@code name}, as PostgreSQL keeps it. */
  public static String applicationName(String name) {
    String full = "chime-listen " + name;
    return full.length() <= MAX_APPLICATION_NAME ? full : full.substring(0, MAX_APPLICATION_NAME);
  }

  /** Connects to {@code db} as {@link #applicationName(String)} and starts listening. */
  public static WakeUpChannel open(Database db, String name) {
    if (!supported(db)) {
      throw new IllegalStateException(db.dialect() + " has no LISTEN/NOTIFY");
    }
    DatabaseSettings settings = db.settings();
    Properties properties = new Properties();
    if (!settings.user().isEmpty()) {
      properties.setProperty("user", settings.user());
    }
    if (!settings.password().isEmpty()) {
      properties.setProperty("password", settings.password());
    }
    properties.setProperty("ApplicationName", applicationName(name));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty(
        "connectTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
    Connection connection = null;
    try {
      connection = new org.postgresql.Driver().connect(settings.url(), properties);
      if (connection == null) {
        throw new SQLException("the PostgreSQL driver does not take " + settings.url());
      }
      connection.setAutoCommit(true);
      try (Statement listen = connection.createStatement()) {
        listen.execute("LISTEN " + WakeUps.CHANNEL);
      }
      return new WakeUpChannel(connection);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new StoreException("cannot listen for wake-ups: " + e.getMessage(), e);
    }
  }

  /**
   * Waits up to {@code timeout} for wake-ups and returns how many arrived: all that are there when
   * the first is read come together. After a quiet wait it checks that the server still answers.
   * Throws when the connection is dead.
   */
  public int await(Duration timeout) {
    try {
      PGNotification[] batch =
          pg.getNotifications(Math.toIntExact(Math.max(1, timeout.toMillis())));
      if (batch != null && batch.length > 0) {
        return batch.length;
      }
      if (!connection.isValid(VALID_CHECK_S)) {
        throw new SQLException("the listening connection no longer answers");
      }
      return 0;
    } catch (SQLException e) {
      throw new StoreException("the wake-up connection failed: " + e.getMessage(), e);
    }
  }

  /** Closes the socket under a thread blocked in {@link #await}, which then fails at once. */
  public void abort() {
    try {
      connection.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      // already closed or closing: the waiting thread sees that as well
    }
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // a dead connection closes with an error; nothing is left to release
    }
  }
}
