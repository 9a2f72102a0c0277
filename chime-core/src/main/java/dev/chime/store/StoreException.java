package dev.chime.store;

import dev.chime.ChimeException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/** The database failed or could not be reached. Carries the SQL state for diagnosis. */
public class StoreException extends ChimeException {
  private final boolean connectionLost;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
    this.connectionLost = isConnectionFailure(cause);
  }

  /**
   * Whether the database was out of reach (no connection, a connection cut, the server shutting
   * down) rather than refusing what it was sent: the same statements may work once it is back.
   */
  public boolean connectionLost() {
    return connectionLost;
  }

  static boolean isConnectionFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        // 08: connection exception; 57P01-57P03: the server shuts down or cannot take connections
        if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
          return true;
        }
        String message = String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT);
        if (state == null
            && (message.contains("connection is closed")
                || message.contains("connection has been closed"))) {
          return true;
        }
      }
    }
    return false;
  }
}
