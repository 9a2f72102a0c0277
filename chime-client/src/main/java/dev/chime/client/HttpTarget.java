package dev.chime.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP request Chime makes each time a schedule fires; the schedule's payload is its body.
 *
 * @param method {@code GET HEAD POST PUT PATCH DELETE}
 * @param url an http or https URL
 * @param headers the target's own headers, sent with Chime's
 * @param timeoutMs how long one call may take, connect to last byte (1–600000)
 * @param asyncTimeoutS how long a run the target accepted with 202 may wait for its callback
 */
public record HttpTarget(
    String method, String url, Map<String, String> headers, int timeoutMs, int asyncTimeoutS) {
  /** The methods Chime calls a target with. */
  public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  /** Chime's default call timeout: 30 s. */
  public static final int DEFAULT_TIMEOUT_MS = 30_000;

  /** Chime's default wait for an async callback: one hour. */
  public static final int DEFAULT_ASYNC_TIMEOUT_S = 3600;

  /** Checks the method and copies the headers (keeping their order). */
  public HttpTarget {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    method = method.toUpperCase(java.util.Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("method must be one of " + METHODS + ", got " + method);
    }
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** A POST to {@code url} with Chime's default timeouts and no headers of its own. */
  public static HttpTarget post(String url) {
    return new HttpTarget("POST", url, Map.of(), DEFAULT_TIMEOUT_MS, DEFAULT_ASYNC_TIMEOUT_S);
  }

  /** This target with another method. */
  public HttpTarget withMethod(String method) {
    return new HttpTarget(method, url, headers, timeoutMs, asyncTimeoutS);
  }

  /** This target with one more header (or another value for it). */
  public HttpTarget withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpTarget(method, url, more, timeoutMs, asyncTimeoutS);
  }

  /** This target with another call timeout (whole milliseconds). */
  public HttpTarget withTimeout(Duration timeout) {
    return new HttpTarget(method, url, headers, Math.toIntExact(timeout.toMillis()), asyncTimeoutS);
  }
}
