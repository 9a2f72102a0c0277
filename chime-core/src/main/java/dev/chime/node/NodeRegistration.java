package dev.chime.node;

import java.time.Duration;
import java.util.Objects;

/**
 * What a node says about itself when it registers.
 *
 * @param id its name in leases
 * @param address the base URL it is reached on
 * @param version the Chime version it runs
 * @param heartbeatInterval how often it writes its heartbeat
 * @param lease how long its claims last; a node silent for longer is gone
 */
public record NodeRegistration(
    String id, String address, String version, Duration heartbeatInterval, Duration lease) {
  public NodeRegistration {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(version, "version");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a node id must not be blank");
    }
    positiveMillis("heartbeatInterval", heartbeatInterval);
    positiveMillis("lease", lease);
  }

  private static void positiveMillis(String name, Duration value) {
    if (value == null || value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          name + " must be between 1 ms and " + Integer.MAX_VALUE + " ms, got " + value);
    }
  }
}
