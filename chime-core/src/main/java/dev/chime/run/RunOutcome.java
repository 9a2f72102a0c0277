package dev.chime.run;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How one call to a target ended, as the run records it. A call the target accepted for later (202)
 * keeps the run {@code RUNNING} until the target reports back or the deadline passes.
 *
 * <p>Its text is ready for every database: control characters that PostgreSQL refuses (NUL) or that
 * no one can read, and lone surrogates, become U+FFFD, and each field is cut to its column.
 */
public record RunOutcome(
    RunStatus status,
    OptionalInt httpStatus,
    Optional<String> errorCode,
    Optional<String> errorMessage,
    Optional<String> responseExcerpt,
    long durationMs,
    Optional<Duration> retryAfter,
    Optional<String> resultJson) {
  private static final Set<String> RETRIED_CODES =
      Set.of(
          "timeout",
          "connection_refused",
          "unknown_host",
          "io_error",
          "shutdown",
          "deadline",
          "node_restarted",
          "node_lost",
          "reported_failure",
          "signing_unavailable",
          "policy_unavailable");

  /** {@code runs.error_code} is a VARCHAR(64) on every database. */
  public static final int ERROR_CODE_MAX = 64;

  /** {@code runs.error_message} is a VARCHAR(2000) on every database. */
  public static final int ERROR_MESSAGE_MAX = 2000;

  /** {@code runs.response_excerpt} holds at most 1,000,000 characters on H2, the smallest. */
  public static final int EXCERPT_MAX = 1_000_000;

  public RunOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(httpStatus, "httpStatus");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(resultJson, "resultJson");
    if (!status.isFinal() && status != RunStatus.RUNNING) {
      throw new IllegalArgumentException("an outcome is final or accepted, got " + status);
    }
    errorCode = errorCode.map(text -> CleanText.clip(text, ERROR_CODE_MAX));
    errorMessage = errorMessage.map(text -> CleanText.clip(text, ERROR_MESSAGE_MAX));
    responseExcerpt = responseExcerpt.map(text -> CleanText.clip(text, EXCERPT_MAX));
    // JSON that Jackson wrote: cleaning keeps it JSON (it escapes every control character in a
    // string, so only lone surrogates can change), cutting would not; the API caps its length
    resultJson = resultJson.map(CleanText::clean);
  }

  public RunOutcome(
      RunStatus status,
      OptionalInt httpStatus,
      Optional<String> errorCode,
      Optional<String> errorMessage,
      Optional<String> responseExcerpt,
      long durationMs) {
    this(
        status,
        httpStatus,
        errorCode,
        errorMessage,
        responseExcerpt,
        durationMs,
        Optional.empty(),
        Optional.empty());
  }

  public static RunOutcome success(int httpStatus, String excerpt, long durationMs) {
    return new RunOutcome(
        RunStatus.SUCCESS,
        OptionalInt.of(httpStatus),
        Optional.empty(),
        Optional.empty(),
        Optional.ofNullable(excerpt),
        durationMs);
  }

  /** The target answered 202 Accepted: it will report the result on the callback URL. */
  public static RunOutcome accepted(String excerpt, long durationMs) {
    return new RunOutcome(
        RunStatus.RUNNING,
        OptionalInt.of(202),
        Optional.empty(),
        Optional.empty(),
        Optional.ofNullable(excerpt),
        durationMs);
  }

  public boolean isAccepted() {
    return status == RunStatus.RUNNING;
  }

  public RunOutcome withRetryAfter(Optional<Duration> value) {
    return new RunOutcome(
        status,
        httpStatus,
        errorCode,
        errorMessage,
        responseExcerpt,
        durationMs,
        value,
        resultJson);
  }

  public RunOutcome withResult(Optional<String> value) {
    return new RunOutcome(
        status,
        httpStatus,
        errorCode,
        errorMessage,
        responseExcerpt,
        durationMs,
        retryAfter,
        value);
  }

  /**
   * Whether another attempt may help: a 5xx, 408 or 429 answer, a timeout, a network error, or a
   * failure an async target reported. Any other 4xx is final, as is a success or a cancel.
   */
  public boolean retryable() {
    if (status == RunStatus.TIMEOUT) {
      return true;
    }
    if (status != RunStatus.FAILED) {
      return false;
    }
    if (httpStatus.isPresent() && errorCode.equals(Optional.of("http_status"))) {
      int code = httpStatus.getAsInt();
      return code >= 500 || code == 408 || code == 429;
    }
    return errorCode.map(RETRIED_CODES::contains).orElse(false);
  }

  public static RunOutcome failure(
      RunStatus status,
      OptionalInt httpStatus,
      String errorCode,
      String errorMessage,
      String excerpt,
      long durationMs) {
    return new RunOutcome(
        status,
        httpStatus,
        Optional.of(errorCode),
        Optional.of(errorMessage),
        Optional.ofNullable(excerpt),
        durationMs);
  }
}
