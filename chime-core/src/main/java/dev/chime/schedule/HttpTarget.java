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
 * values are secrets ({@link SecretValue}): sealed everywhere but on the wire. {@code bodyFormat}
 * says what the body holds: the payload itself, or the payload wrapped in an envelope that names
 * the run.
 */
public record HttpTarget(
    String method,
    URI url,
    Map<String, String> headers,
    Duration timeout,
    Duration asyncTimeout,
    Map<String, SecretValue> secretHeaders,
    BodyFormat bodyFormat) {
  /** What the body of a call holds. */
  public enum BodyFormat {
    /** The schedule's payload, exactly as stored: Chime's own format. */
    PAYLOAD,
    /**
     * {@code {"trigger_type":..., "schedule_id":..., "job_run_id":..., "attempt":...,
     * "schedule_payload":...}}, for targets written for a control plane that sent that shape.
     */
    ENVELOPE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The methods a target may use. GET and HEAD go out without a body. */
  public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  public HttpTarget {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(asyncTimeout, "asyncTimeout");
    headers = Map.copyOf(headers);
    secretHeaders = Map.copyOf(secretHeaders);
    Objects.requireNonNull(bodyFormat, "bodyFormat");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("unsupported method " + method);
    }
  }

  /** The address of a check-in target: nothing is called; the job elsewhere pings Chime. */
  public static final URI CHECKIN = URI.create("checkin:ping");

  /**
   * A check-in: at each instant its run waits up to {@code grace} for the job's ping ({@code POST
   * /api/v1/checkins/{token}}), and ends {@code failed} ({@code missed}) without one.
   */
  public static HttpTarget checkin(Duration grace) {
    return new HttpTarget("POST", CHECKIN, Map.of(), Duration.ofSeconds(1), grace);
  }

  /** Whether this target is a check-in, which nothing calls. */
  public boolean isCheckin() {
    return url.equals(CHECKIN);
  }

  /** A target whose body is the payload. */
  public HttpTarget(
      String method,
      URI url,
      Map<String, String> headers,
      Duration timeout,
      Duration asyncTimeout,
      Map<String, SecretValue> secretHeaders) {
    this(method, url, headers, timeout, asyncTimeout, secretHeaders, BodyFormat.PAYLOAD);
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
    return isCheckin() ? "checkin" : "http";
  }

  /** Whether the method carries a request body at all. */
  public boolean sendsBody() {
    return !method.equals("GET") && !method.equals("HEAD");
  }

  /** This target with other secret headers. */
  public HttpTarget withSecretHeaders(Map<String, SecretValue> values) {
    return new HttpTarget(method, url, headers, timeout, asyncTimeout, values, bodyFormat);
  }
}
