package dev.chime.server.auth;

import dev.chime.dispatch.Cidr;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a node authenticates: on or off, the admin token an operator chose (empty: made at the first
 * start and written to {@code adminTokenFile}), how many bad tokens one address may send per
 * minute, and the load balancers whose {@code X-Forwarded-For} names that address.
 */
public record AuthSettings(
    boolean on,
    String adminToken,
    Path adminTokenFile,
    int failuresPerMinute,
    List<Cidr> trustedProxies) {
  /** Settings with no trusted load balancers: the peer's address is the client's. */
  public AuthSettings(boolean on, String adminToken, Path adminTokenFile, int failuresPerMinute) {
    this(on, adminToken, adminTokenFile, failuresPerMinute, List.of());
  }

  public AuthSettings {
    trustedProxies = List.copyOf(trustedProxies);
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(adminTokenFile, "adminTokenFile");
    if (failuresPerMinute < 1) {
      throw new IllegalArgumentException("failuresPerMinute must be at least 1");
    }
  }

  @Override
  public String toString() {
    return "AuthSettings[on=" + on + ", adminToken=" + (adminToken.isEmpty() ? "" : "****") + "]";
  }
}
