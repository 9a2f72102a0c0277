package dev.chime.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** How a client reaches Chime; made and checked by {@link Chime.Builder}. */
record ClientSettings(
    URI baseUrl,
    Optional<String> token,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxAttempts,
    Duration retryBackoff,
    Duration maxRetryWait,
    Clock clock) {
  ClientSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(token, "token");
    positive(connectTimeout, "connectTimeout");
    positive(requestTimeout, "requestTimeout");
    positive(retryBackoff, "retryBackoff");
    Objects.requireNonNull(maxRetryWait, "maxRetryWait");
    Objects.requireNonNull(clock, "clock");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || baseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "the base URL must be an http or https URL such as http://localhost:8080, got "
              + baseUrl);
    }
    if (token.isPresent() && token.get().isBlank()) {
      throw new IllegalArgumentException("the token must not be blank");
    }
  }

  private static void positive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
  }

  /** {@code path} (starting with /) under the base URL, which may have a path of its own. */
  URI resolve(String path) {
    String base = baseUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + path);
  }
}
