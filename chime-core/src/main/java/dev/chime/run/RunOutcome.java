package dev.chime.run;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** How one call to a target ended, as the run records it. */
public record RunOutcome(
    RunStatus status,
    OptionalInt httpStatus,
    Optional<String> errorCode,
    Optional<String> errorMessage,
    Optional<String> responseExcerpt,
    long durationMs) {
  public RunOutcome {
    Objects.requireNonNull(status, "status");
    if (!status.isFinal()) {
      throw new IllegalArgumentException("an outcome has a final status, got " + status);
    }
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
