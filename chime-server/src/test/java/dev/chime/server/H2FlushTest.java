package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2FlushTest {
  @TempDir Path dir;

  @Test
  void aCommitIsInTheFileAfterAFlushAndOnlyInMemoryBefore() throws Exception {
    // a long WRITE_DELAY, so that H2's background writer stays out of the test;
    // SHUTDOWN IMMEDIATELY closes the file writing nothing more, as kill -9 would
    String url = "jdbc:h2:file:" + dir.resolve("chime") + ";WRITE_DELAY=60000";
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement sql = connection.createStatement()) {
      H2Flush flush = new H2Flush(() -> sql.execute("CHECKPOINT"));
      sql.execute("CREATE TABLE notes(text VARCHAR(20))");
      sql.execute("INSERT INTO notes VALUES ('flushed')");
      flush.awaitWritten();
      sql.execute("INSERT INTO notes VALUES ('only committed')");
      sql.execute("SHUTDOWN IMMEDIATELY");
    }

    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SELECT text FROM notes")) {
      List<String> texts = new ArrayList<>();
      while (rows.next()) {
        texts.add(rows.getString(1));
      }
      assertThat(texts).containsExactly("flushed");
    }
  }

  @Test
  void callersArrivingDuringACheckpointShareTheNextOne() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger checkpoints = new AtomicInteger();
    H2Flush flush =
        new H2Flush(
            () -> {
              if (checkpoints.incrementAndGet() == 1) {
                awaitQuietly(release);
              }
            });

    Thread first = Thread.ofPlatform().start(() -> awaitWritten(flush));
    await().until(() -> checkpoints.get() == 1);
    Thread second = Thread.ofPlatform().start(() -> awaitWritten(flush));
    Thread third = Thread.ofPlatform().start(() -> awaitWritten(flush));
    await().until(() -> flush.waiting() == 2);
    // the running checkpoint may have begun before their commits: it does not count for them
    assertThat(checkpoints).hasValue(1);

    release.countDown();
    for (Thread thread : List.of(first, second, third)) {
      thread.join();
    }
    assertThat(checkpoints).hasValue(2);
  }

  @Test
  void aFailedCheckpointIsTriedAgainByTheNextCaller() throws Exception {
    AtomicInteger checkpoints = new AtomicInteger();
    H2Flush flush =
        new H2Flush(
            () -> {
              if (checkpoints.incrementAndGet() == 1) {
                throw new SQLException("disk full");
              }
            });

    flush.awaitWritten();
    flush.awaitWritten();

    assertThat(checkpoints).hasValue(2);
  }

  @Test
  void onlyAnH2DatabaseOnDiskIsFlushed() {
    H2Flush.Checkpoint none = () -> {};
    assertThat(WriteFlush.forUrl("jdbc:h2:file:/srv/chime", none)).isInstanceOf(H2Flush.class);
    assertThat(WriteFlush.forUrl("jdbc:h2:tcp://db/chime", none)).isInstanceOf(H2Flush.class);
    assertThat(WriteFlush.forUrl("jdbc:h2:mem:t", none)).isSameAs(WriteFlush.NONE);
    assertThat(WriteFlush.forUrl("jdbc:postgresql://db/chime", none)).isSameAs(WriteFlush.NONE);
  }

  private static void awaitWritten(H2Flush flush) {
    try {
      flush.awaitWritten();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
