package dev.chime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.node.Node;
import dev.chime.node.NodeRegistration;
import dev.chime.node.NodeState;
import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.NodeStore;
import dev.chime.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A node's heartbeat thread keeps its row: registered, beating, stopped on close. */
class NodeHeartbeatTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource(TestDatabases.EVERY)
  void aNodeRegistersBeatsAndMarksItselfStopped(String name, Supplier<DatabaseSettings> settings) {
    try (Database db = Database.open(settings.get())) {
      NodeStore nodes = new NodeStore(db);
      NodeRegistration me =
          new NodeRegistration(
              "beating",
              "http://beating:8080",
              "9.9.9",
              Duration.ofMillis(50),
              Duration.ofSeconds(5));
      NodeHeartbeat heartbeat = new NodeHeartbeat(nodes, me, Duration.ofDays(7));
      try {
        heartbeat.start();
        Node registered = nodes.get("beating").orElseThrow();
        assertThat(registered.state()).isEqualTo(NodeState.ALIVE);

        Instant first = registered.heartbeatAt();
        Instant later =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(
                    () -> nodes.get("beating").orElseThrow().heartbeatAt(),
                    at -> at.isAfter(first.plusMillis(100)));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> nodes.get("beating").orElseThrow().heartbeatAt().isAfter(later));
        assertThat(nodes.get("beating").orElseThrow().state()).isEqualTo(NodeState.ALIVE);

        // a row deleted as long gone (the node was paused for days) is made again by the next beat
        await().until(() -> nodes.deleteGone(Duration.ZERO, 10) > 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.get("beating").isPresent());
      } finally {
        heartbeat.close();
      }

      Node stopped = nodes.get("beating").orElseThrow();
      assertThat(stopped.state()).isEqualTo(NodeState.GONE);
      assertThat(stopped.stoppedAt()).isPresent();
      heartbeat.close();
    }
  }
}
