package dev.chime.bench.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;

/**
 * The PostgreSQL server the peers share: a fresh database for each peer in each round, made and
 * dropped through the server's {@code test} database, and the server's commit counter.
 */
final class PeerDatabase {
  private final String adminUrl;
  private final String base;
  private final String user;

  /** {@code admin} is a JDBC URL of an existing database on the server, such as {@code test}. */
  PeerDatabase(String admin) {
    URI uri = URI.create(admin.substring("jdbc:".length()));
    this.base = "jdbc:postgresql://" + uri.getHost() + ":" + port(uri) + "/";
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String found = "postgres";
    for (String pair : query.split("&")) {
      if (pair.startsWith("user=")) {
        found = pair.substring("user=".length());
      }
    }
    this.user = found;
    this.adminUrl = admin;
  }

  private static int port(URI uri) {
    return uri.getPort() < 0 ? 5432 : uri.getPort();
  }

  String user() {
    return user;
  }

  /** Whether the server answers on its port at all. */
  boolean answers() {
    URI uri = URI.create(adminUrl.substring("jdbc:".length()));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), 500);
    } catch (IOException e) {
      return false;
    }
    try (Connection connection = DriverManager.getConnection(adminUrl, user, "")) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** Drops {@code name} if it is there and makes it anew, empty; returns its JDBC URL. */
  String fresh(String name) {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    admin("CREATE DATABASE " + name);
    return base + name;
  }

  void drop(String name) {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** {@code SHOW server_version}. */
  String serverVersion() {
    try (Connection connection = DriverManager.getConnection(adminUrl, user, "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW server_version")) {
      rows.next();
      return rows.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the server version: " + e.getMessage(), e);
    }
  }

  /**
   * {@code pg_stat_database.xact_commit} of database {@code name}: every session's commits,
   * published by the server when a session ends or within a second of going idle.
   */
  OptionalLong commits(String name) {
    try (Connection connection = DriverManager.getConnection(adminUrl, user, "");
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT xact_commit FROM pg_stat_database WHERE datname = '" + name + "'")) {
        return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
      }
    } catch (SQLException e) {
      return OptionalLong.empty();
    }
  }

  private void admin(String sql) {
    try (Connection connection = DriverManager.getConnection(adminUrl, user, "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot run '" + sql + "' on " + adminUrl + ": " + e.getMessage(), e);
    }
  }
}
