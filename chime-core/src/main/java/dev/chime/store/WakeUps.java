package dev.chime.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The wake-up a change sends to the other nodes, on databases that have {@code LISTEN/NOTIFY}: a
 * {@code NOTIFY} in the transaction that makes the change, so PostgreSQL delivers it when, and only
 * if, that transaction commits. The nodes' {@link WakeUpListener}s then claim at once.
 */
final class WakeUps {
  /** The channel every node listens on. */
  static final String CHANNEL = "chime_wakeup";

  /** What changed, as the notification's small payload. */
  enum Change {
    SCHEDULE,
    QUEUED_RUN
  }

  private WakeUps() {}

  /** Announces {@code change} in the caller's transaction; does nothing on other databases. */
  static void announce(Connection connection, Dialect dialect, Change change) throws SQLException {
    if (!dialect.hasListenNotify()) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      // a constant payload: notifications alike within one transaction are delivered once
      statement.execute(
          "NOTIFY " + CHANNEL + ", '" + change.name().toLowerCase(java.util.Locale.ROOT) + "'");
    }
  }
}
