package dev.chime.testing;

import dev.chime.store.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Fresh, empty databases for tests, one per call: H2 in memory; PostgreSQL on 127.0.0.1:5432 when
 * one answers there, else an embedded PostgreSQL from Maven; MariaDB on 127.0.0.1:3306, or the test
 * is skipped with a note when none answers.
 */
public final class TestDatabases {
  private static volatile EmbeddedPostgres embedded;
  private static final java.util.List<String[]> created =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(TestDatabases::dropCreated, "chime-test-db-cleanup"));
  }

  private TestDatabases() {}

  /**
   * Every database, for a parameterized test: {@code @MethodSource(TestDatabases.EVERY)} gives each
   * case a name and a {@code Supplier<DatabaseSettings>} of fresh databases.
   */
  public static Stream<Arguments> every() {
    return Stream.of(
        Arguments.of("h2", (Supplier<DatabaseSettings>) TestDatabases::h2),
        Arguments.of("postgresql", (Supplier<DatabaseSettings>) TestDatabases::postgres),
        Arguments.of("mariadb", (Supplier<DatabaseSettings>) TestDatabases::mariadb));
  }

  /** The {@code @MethodSource} of {@link #every()}. */
  public static final String EVERY = "dev.chime.testing.TestDatabases#every";

  public static DatabaseSettings h2() {
    return settings("jdbc:h2:mem:chime-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  public static DatabaseSettings postgres() {
    String name = "chime_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String base;
    String user;
    if (listening(5432) && !Boolean.getBoolean("chime.test.pg.embedded")) {
      base = "jdbc:postgresql://127.0.0.1:5432/";
      user = System.getProperty("chime.test.pg.user", "postgres");
      createDatabase(base + "test", user, "CREATE DATABASE " + name);
      created.add(
          new String[] {base + "test", user, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"});
    } else {
      EmbeddedPostgres server = embeddedPostgres();
      base = "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/";
      user = "postgres";
      createDatabase(base + "postgres", user, "CREATE DATABASE " + name);
    }
    return settings(base + name, user, "");
  }

  public static DatabaseSettings mariadb() {
    Assumptions.assumeTrue(listening(3306), "no MariaDB on 127.0.0.1:3306: MariaDB tests skipped");
    String name = "chime_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    createDatabase("jdbc:mariadb://127.0.0.1:3306/test", "root", "CREATE DATABASE " + name);
    created.add(
        new String[] {
          "jdbc:mariadb://127.0.0.1:3306/test", "root", "DROP DATABASE IF EXISTS " + name
        });
    return settings("jdbc:mariadb://127.0.0.1:3306/" + name, "root", "");
  }

  private static DatabaseSettings settings(String url, String user, String password) {
    return new DatabaseSettings(url, user, password, 8, Duration.ofSeconds(10));
  }

  private static synchronized EmbeddedPostgres embeddedPostgres() {
    if (embedded == null) {
      try {
        embedded = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start an embedded PostgreSQL", e);
      }
    }
    return embedded;
  }

  private static void createDatabase(String url, String user, String sql) {
    try (Connection connection = DriverManager.getConnection(url, user, "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database at " + url, e);
    }
  }

  private static void dropCreated() {
    for (String[] drop : created) {
      try {
        createDatabase(drop[0], drop[1], drop[2]);
      } catch (RuntimeException e) {
        // a database left behind is only clutter; the next run makes its own
      }
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
