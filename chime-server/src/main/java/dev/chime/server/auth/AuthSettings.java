package dev.chime.server.auth;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a node authenticates: on or off, the admin token an operator chose (empty: made at the first
 * start and written to {@code adminTokenFile}), and how many bad tokens one address may send per
 * minute.
 */
public record AuthSettings(
    boolean on, String adminToken, Path adminTokenFile, int failuresPerMinute) {
  public AuthSettings {
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
