package dev.chime.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A PostgreSQL database of a bench's own, made through an existing one (the {@code test} database)
 * and dropped again on close, so that a measurement reads no rows of earlier runs.
 */
final class ScratchDatabase implements AutoCloseable {
  private final String admin;
  private final String name;
  private final String url;

  private ScratchDatabase(String admin, String name) {
    this.admin = admin;
    this.name = name;
    this.url = admin.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
  }

  /** Creates {@code <prefix>_<random>} through the database at {@code admin}. */
  static ScratchDatabase create(String admin, String prefix) {
    ScratchDatabase db =
        new ScratchDatabase(admin, prefix + "_" + UUID.randomUUID().toString().substring(0, 8));
    execute(admin, "CREATE DATABASE " + db.name);
    return db;
  }

  static boolean isPostgres(String url) {
    return url.startsWith("jdbc:postgresql:");
  }

  String url() {
    return url;
  }

  String name() {
    return name;
  }

  @Override
  public void close() {
    execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void execute(String url, String sql) {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
    }
  }
}
