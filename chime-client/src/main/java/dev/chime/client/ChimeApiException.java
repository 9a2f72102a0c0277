package dev.chime.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Chime answered a call with an error. Subclasses name the common cases; the {@link Problem}
 * carries everything the answer said. A request that failed changed nothing.
 */
public class ChimeApiException extends ChimeException {
  private static final long serialVersionUID = 1L;

  private final transient Problem problem;

  /** The error {@code problem} describes, for the call {@code call} (such as {@code GET /x}). */
  public ChimeApiException(String call, Problem problem) {
    super(call + ": " + problem.status() + " " + problem.title() + ": " + problem.detail());
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The answer. */
  public Problem problem() {
    return problem;
  }

  /** The HTTP status. */
  public int status() {
    return problem.status();
  }

  /** What went wrong, for people. */
  public String detail() {
    return problem.detail();
  }

  /** The offending field, when exactly one is named. */
  public Optional<String> field() {
    return problem.field();
  }

  /** Every offending field, for bad input. */
  public List<FieldError> errors() {
    return problem.errors();
  }
}
