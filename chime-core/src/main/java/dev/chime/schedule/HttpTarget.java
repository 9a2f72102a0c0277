package dev.chime.schedule;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An HTTP request Chime makes when a schedule fires; the schedule's payload is its JSON body.
 * {@code timeout} bounds the call; a target that answers 202 Accepted finishes the run later by
 * calling back, within {@code asyncTimeout} of the start. {@code secretHeaders} are headers whose
 * values are secrets ({@link SecretValue}): sealed everywhere but on the wire.
 */
public record HttpTarget(
    String method,
    URI url,
    Map<String, String> headers,
    Duration timeout,
    Duration asyncTimeout,
    Map<String, SecretValue> secretHeaders) {
  /** The methods a target may use. GET and HEAD go out without a body. */
  public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  public HttpTarget {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(asyncTimeout, "asyncTimeout");
    headers = Map.copyOf(headers);
    secretHeaders = Map.copyOf(secretHeaders);
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("unsupported method " + method);
    }
  }

  /** A target without secret headers. */
  public HttpTarget(
      String method,
      URI url,
      Map<String, String> headers,
      Duration timeout,
      Duration asyncTimeout) {
    this(method, url, headers, timeout, asyncTimeout, Map.of());
  }

  public String type() {
    return "http";
  }

  /** Whether the method carries a request body at all. */
  public boolean sendsBody() {
    return !method.equals("GET") && !method.equals("HEAD");
  }

  /** This target with other secret headers. */
  public HttpTarget withSecretHeaders(Map<String, SecretValue> values) {
    return new HttpTarget(method, url, headers, timeout, asyncTimeout, values);
  }
}
