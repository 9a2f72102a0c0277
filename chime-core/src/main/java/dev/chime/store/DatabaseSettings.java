package dev.chime.store;

import java.time.Duration;
import java.util.Objects;

/** How to reach the database. */
public record DatabaseSettings(
    String url, String user, String password, int poolSize, Duration connectTimeout) {
  public DatabaseSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (poolSize < 2) {
      throw new IllegalArgumentException("poolSize must be at least 2, got " + poolSize);
    }
    Dialect.fromUrl(url);
  }
}
