package dev.chime.testing;

import dev.chime.store.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The server side of PostgreSQL connections, by their {@code application_name}: find, kill. */
public final class PostgresBackends {
  private PostgresBackends() {}

  /** The process ids of the backends named {@code applicationName} in this database. */
  public static List<Integer> pids(DatabaseSettings database, String applicationName) {
    List<Integer> pids = new ArrayList<>();
    forEach(database, "SELECT pid", applicationName, rows -> pids.add(rows.getInt(1)));
    return pids;
  }

  /** Ends the backends named {@code applicationName}, as an administrator would; how many. */
  public static int terminate(DatabaseSettings database, String applicationName) {
    int[] terminated = {0};
    forEach(
        database,
        "SELECT pg_terminate_backend(pid)",
        applicationName,
        rows -> terminated[0] += rows.getBoolean(1) ? 1 : 0);
    return terminated[0];
  }

  private interface Row {
    void read(ResultSet rows) throws SQLException;
  }

  private static void forEach(
      DatabaseSettings database, String select, String applicationName, Row row) {
    try (Connection connection =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        PreparedStatement statement =
            connection.prepareStatement(
                select
                    + " FROM pg_stat_activity WHERE application_name = ?"
                    + " AND datname = current_database()")) {
      statement.setString(1, applicationName);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          row.read(rows);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read pg_stat_activity: " + e.getMessage(), e);
    }
  }
}
