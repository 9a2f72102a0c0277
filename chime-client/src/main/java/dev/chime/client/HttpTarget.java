package dev.chime.client;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTP request Chime makes each time a schedule fires; the schedule's payload is its body (or,
 * with {@link BodyFormat#ENVELOPE}, inside an envelope).
 *
 * <p>A secret header's value is sealed by Chime and never shown again: a schedule read from Chime
 * holds {@link #SECRET_MASK} for it, which sent back as it is keeps the stored value. Put a new
 * value in its place to replace it.
 *
 * @param method {@code GET HEAD POST PUT PATCH DELETE}
 * @param url an http or https URL
 * @param headers the target's own plain headers, sent with Chime's
 * @param secretHeaders the target's secret headers: the value to set, or {@link #SECRET_MASK} to
 *     keep the one Chime holds
 * @param timeoutMs how long one call may take, connect to last byte (1–600000)
 * @param asyncTimeoutS how long a run the target accepted with 202 may wait for its callback
 * @param bodyFormat what the body of each call is
 */
public record HttpTarget(
    String method,
    String url,
    Map<String, String> headers,
    Map<String, String> secretHeaders,
    int timeoutMs,
    int asyncTimeoutS,
    BodyFormat bodyFormat)
    implements Target {
  /** The methods Chime calls a target with. */
  public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  /** Chime's default call timeout: 30 s. */
  public static final int DEFAULT_TIMEOUT_MS = 30_000;

  /** Chime's default wait for an async callback: one hour. */
  public static final int DEFAULT_ASYNC_TIMEOUT_S = 3600;

  /** What Chime shows for a secret header's value; sent back, it keeps the stored value. */
  public static final String SECRET_MASK = "****";

  /** What the body of each call is. */
  public enum BodyFormat {
    /** The schedule's payload as it is (the default). */
    PAYLOAD,
    /**
     * {@code {"trigger_type", "schedule_id", "job_run_id", "attempt", "schedule_payload"}}, for
     * workers that report back by {@code job_run_id} (docs/compat.md).
     */
    ENVELOPE;

    /** The name on the wire: {@code payload} or {@code envelope}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The format a wire name stands for. */
    public static BodyFormat fromWire(String name) {
      for (BodyFormat format : values()) {
        if (format.wireName().equals(name)) {
          return format;
        }
      }
      throw new IllegalArgumentException(
          "unknown body format '" + name + "'; one of payload, envelope");
    }
  }

  /**
   * Checks the method, that no header is both plain and secret, and copies the headers (keeping
   * their order).
   */
  public HttpTarget {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(bodyFormat, "bodyFormat");
    method = method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("method must be one of " + METHODS + ", got " + method);
    }
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    secretHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(secretHeaders));
    for (String name : secretHeaders.keySet()) {
      if (headers.containsKey(name)) {
        throw new IllegalArgumentException("the header " + name + " is both plain and secret");
      }
    }
  }

  /** A target without secret headers that sends the payload as the body. */
  public HttpTarget(
      String method, String url, Map<String, String> headers, int timeoutMs, int asyncTimeoutS) {
    this(method, url, headers, Map.of(), timeoutMs, asyncTimeoutS, BodyFormat.PAYLOAD);
  }

  /** A POST to {@code url} with Chime's default timeouts and no headers of its own. */
  public static HttpTarget post(String url) {
    return new HttpTarget("POST", url, Map.of(), DEFAULT_TIMEOUT_MS, DEFAULT_ASYNC_TIMEOUT_S);
  }

  @Override
  public String type() {
    return "http";
  }

  /** This target with another method. */
  public HttpTarget withMethod(String method) {
    return new HttpTarget(
        method, url, headers, secretHeaders, timeoutMs, asyncTimeoutS, bodyFormat);
  }

  /** This target with one more plain header (or another value for it, no longer secret). */
  public HttpTarget withHeader(String name, String value) {
    Map<String, String> plain = new LinkedHashMap<>(headers);
    plain.put(name, Objects.requireNonNull(value, "value"));
    Map<String, String> secret = new LinkedHashMap<>(secretHeaders);
    secret.remove(name);
    return new HttpTarget(method, url, plain, secret, timeoutMs, asyncTimeoutS, bodyFormat);
  }

  /**
   * This target with one more secret header (or another value for it): Chime seals the value and
   * never shows it again. {@link #SECRET_MASK} keeps the value Chime holds.
   */
  public HttpTarget withSecretHeader(String name, String value) {
    Map<String, String> plain = new LinkedHashMap<>(headers);
    plain.remove(name);
    Map<String, String> secret = new LinkedHashMap<>(secretHeaders);
    secret.put(name, Objects.requireNonNull(value, "value"));
    return new HttpTarget(method, url, plain, secret, timeoutMs, asyncTimeoutS, bodyFormat);
  }

  /** This target without the header {@code name}, plain or secret. */
  public HttpTarget withoutHeader(String name) {
    Map<String, String> plain = new LinkedHashMap<>(headers);
    plain.remove(name);
    Map<String, String> secret = new LinkedHashMap<>(secretHeaders);
    secret.remove(name);
    return new HttpTarget(method, url, plain, secret, timeoutMs, asyncTimeoutS, bodyFormat);
  }

  /** This target with another call timeout (whole milliseconds). */
  public HttpTarget withTimeout(Duration timeout) {
    return new HttpTarget(
        method,
        url,
        headers,
        secretHeaders,
        Math.toIntExact(timeout.toMillis()),
        asyncTimeoutS,
        bodyFormat);
  }

  /** This target with another body format. */
  public HttpTarget withBodyFormat(BodyFormat bodyFormat) {
    return new HttpTarget(
        method, url, headers, secretHeaders, timeoutMs, asyncTimeoutS, bodyFormat);
  }

  /** Like the record's, with every secret header's value masked, so that logs never hold one. */
  @Override
  public String toString() {
    Map<String, String> masked = new LinkedHashMap<>();
    secretHeaders.keySet().forEach(name -> masked.put(name, SECRET_MASK));
    return "HttpTarget[method="
        + method
        + ", url="
        + url
        + ", headers="
        + headers
        + ", secretHeaders="
        + masked
        + ", timeoutMs="
        + timeoutMs
        + ", asyncTimeoutS="
        + asyncTimeoutS
        + ", bodyFormat="
        + bodyFormat
        + "]";
  }
}
