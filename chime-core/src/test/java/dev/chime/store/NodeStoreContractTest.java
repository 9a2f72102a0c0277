package dev.chime.store;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.node.Node;
import dev.chime.node.NodeList;
import dev.chime.node.NodeRegistration;
import dev.chime.node.NodeState;
import dev.chime.run.Run;
import dev.chime.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code nodes} table on every database: registration, heartbeats and states, all by the
 * database's clock. Each test uses node ids of its own, so the tests share one database per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NodeStoreContractTest {
  private Database db;
  private NodeStore nodes;

  abstract DatabaseSettings settings();

  @BeforeAll
  void open() {
    db = Database.open(settings());
    nodes = new NodeStore(db);
  }

  @AfterAll
  void close() {
    db.close();
  }

  private static NodeRegistration node(String id, Duration heartbeat, Duration lease) {
    return new NodeRegistration(id, "http://" + id + ":8080", "1.2.3", heartbeat, lease);
  }

  private static String anId() {
    return "node-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aRegisteredNodeIsAliveAndARestartUnderItsIdKeepsOneRow() {
    String id = anId();
    nodes.register(node(id, Duration.ofSeconds(5), Duration.ofSeconds(30)));

    Node first = nodes.get(id).orElseThrow();
    assertThat(first.address()).isEqualTo("http://" + id + ":8080");
    assertThat(first.version()).isEqualTo("1.2.3");
    assertThat(first.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(first.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(first.stoppedAt()).isEmpty();
    assertThat(first.heartbeatAt()).isEqualTo(first.startedAt());
    assertThat(first.sinceHeartbeat()).isLessThan(Duration.ofSeconds(5));
    assertThat(first.state()).isEqualTo(NodeState.ALIVE);
    assertThat(first.leasedSchedules()).isZero();
    assertThat(first.runningRuns()).isZero();

    assertThat(nodes.markStopped(id)).isTrue();
    nodes.register(
        new NodeRegistration(
            id, "http://elsewhere:9090", "1.2.4", Duration.ofSeconds(1), Duration.ofSeconds(10)));

    NodeList list = nodes.list();
    assertThat(list.nodes()).filteredOn(n -> n.id().equals(id)).hasSize(1);
    Node again = nodes.get(id).orElseThrow();
    assertThat(again.address()).isEqualTo("http://elsewhere:9090");
    assertThat(again.version()).isEqualTo("1.2.4");
    assertThat(again.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(again.stoppedAt()).isEmpty();
    assertThat(again.startedAt()).isAfterOrEqualTo(first.startedAt());
    assertThat(again.state()).isEqualTo(NodeState.ALIVE);
  }

  @Test
  void aHeartbeatMovesByTheDatabaseClock() {
    String id = anId();
    nodes.register(node(id, Duration.ofSeconds(5), Duration.ofSeconds(30)));
    Instant registered = nodes.get(id).orElseThrow().heartbeatAt();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              assertThat(nodes.heartbeat(id)).isTrue();
              return nodes.get(id).orElseThrow().heartbeatAt().isAfter(registered);
            });

    Node node = nodes.get(id).orElseThrow();
    assertThat(node.startedAt()).isEqualTo(registered);
    assertThat(node.checkedAt()).isAfterOrEqualTo(node.heartbeatAt());
    assertThat(nodes.heartbeat("never-registered-" + id)).isFalse();
  }

  @Test
  void aSilentNodeBecomesSuspectThenGoneAndAHeartbeatBringsItBack() {
    String id = anId();
    // two missed heartbeats after 200 ms, gone after 2 s, by the database's clock
    nodes.register(node(id, Duration.ofMillis(100), Duration.ofSeconds(2)));
    assertThat(nodes.get(id).orElseThrow().state()).isEqualTo(NodeState.ALIVE);

    Node suspect =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> nodes.get(id).orElseThrow(), n -> n.state() != NodeState.ALIVE);
    assertThat(suspect.state()).isEqualTo(NodeState.SUSPECT);
    assertThat(suspect.sinceHeartbeat()).isGreaterThan(Duration.ofMillis(200));

    Node gone =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> nodes.get(id).orElseThrow(), n -> n.state() == NodeState.GONE);
    assertThat(gone.sinceHeartbeat()).isGreaterThan(Duration.ofSeconds(2));
    assertThat(gone.stoppedAt()).isEmpty();

    assertThat(nodes.heartbeat(id)).isTrue();
    assertThat(nodes.get(id).orElseThrow().state()).isEqualTo(NodeState.ALIVE);
  }

  @Test
  void aCleanStopIsGoneAtOnce() {
    String id = anId();
    nodes.register(node(id, Duration.ofSeconds(5), Duration.ofSeconds(30)));

    assertThat(nodes.markStopped(id)).isTrue();

    Node stopped = nodes.get(id).orElseThrow();
    assertThat(stopped.state()).isEqualTo(NodeState.GONE);
    assertThat(stopped.stoppedAt()).isPresent();
    assertThat(stopped.stoppedAt().get()).isAfterOrEqualTo(stopped.startedAt());
    assertThat(nodes.markStopped("never-registered-" + id)).isFalse();
  }

  @Test
  void aNodeHoldsTheSchedulesItLeasesAndTheRunsItIsCalling() {
    String id = anId();
    nodes.register(node(id, Duration.ofSeconds(5), Duration.ofSeconds(30)));
    Instant now = nodes.list().checkedAt();
    ScheduleStore schedules = new ScheduleStore(db);
    EngineStore engine = new EngineStore(db);
    Schedule leased = aSchedule().every(60).createdAt(now).nextFireAt(now).build();
    Schedule expired = aSchedule().every(60).createdAt(now).nextFireAt(now).build();
    schedules.insert(leased);
    claim(engine, id, leased.id(), now, now.plusSeconds(3600));
    schedules.insert(expired);
    claim(engine, id, expired.id(), now, now.minusSeconds(1));
    Run running = Run.started("default", leased.id(), now, now);
    db.inTransaction(
        connection -> {
          RunStore.insert(
              connection,
              db.dialect(),
              List.of(
                  new RunStore.NewRun(
                      running,
                      Optional.of(now.plusSeconds(60)),
                      Optional.empty(),
                      Optional.of(id))));
          return null;
        });

    Node node = nodes.get(id).orElseThrow();
    assertThat(node.leasedSchedules()).as("leases still good by the database's clock").isEqualTo(1);
    assertThat(node.runningRuns()).isEqualTo(1);
    assertThat(nodes.list().nodes())
        .filteredOn(n -> n.id().equals(id))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.leasedSchedules()).isEqualTo(1);
              assertThat(n.runningRuns()).isEqualTo(1);
            });
  }

  /** Leases the one schedule due by {@code now} to {@code owner} until {@code until}. */
  private static void claim(
      EngineStore engine, String owner, UUID scheduleId, Instant now, Instant until) {
    List<EngineStore.ClaimedSchedule> claimed =
        engine.claimSchedules(owner, now, now, until, 1000, now);
    assertThat(claimed).extracting(EngineStore.ClaimedSchedule::id).contains(scheduleId);
  }

  @Test
  void nodesGoneLongerThanTheyAreKeptAreDeletedAFewAtATime() {
    String old = anId();
    String recent = anId();
    nodes.register(node(old, Duration.ofSeconds(5), Duration.ofSeconds(30)));
    nodes.markStopped(old);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> nodes.get(old).orElseThrow().sinceHeartbeat().toMillis() > 300);
    nodes.register(node(recent, Duration.ofSeconds(5), Duration.ofSeconds(30)));

    assertThat(nodes.deleteGone(Duration.ofMillis(300), 0)).isZero();
    int deleted = nodes.deleteGone(Duration.ofMillis(300), 1000);

    assertThat(deleted).isGreaterThanOrEqualTo(1);
    assertThat(nodes.get(old)).isEmpty();
    assertThat(nodes.get(recent)).isPresent();
  }
}
