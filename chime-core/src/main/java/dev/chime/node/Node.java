package dev.chime.node;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A node as the {@code nodes} table knows it, read at {@code checkedAt} by the database's clock,
 * with what it holds then: schedules whose lease it has ({@code leasedSchedules}) and runs whose
 * call it is making ({@code runningRuns}).
 */
public record Node(
    String id,
    String address,
    String version,
    Duration heartbeatInterval,
    Duration lease,
    Instant startedAt,
    Instant heartbeatAt,
    Optional<Instant> stoppedAt,
    Instant checkedAt,
    int leasedSchedules,
    int runningRuns) {
  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(heartbeatAt, "heartbeatAt");
    Objects.requireNonNull(stoppedAt, "stoppedAt");
    Objects.requireNonNull(checkedAt, "checkedAt");
  }

  /**
   * How old its last heartbeat is by the database's clock; never negative (a heartbeat committed
   * after the read began is taken as now).
   */
  public Duration sinceHeartbeat() {
    Duration since = Duration.between(heartbeatAt, checkedAt);
    return since.isNegative() ? Duration.ZERO : since;
  }

  public NodeState state() {
    return NodeState.judge(sinceHeartbeat(), stoppedAt.isPresent(), heartbeatInterval, lease);
  }
}
