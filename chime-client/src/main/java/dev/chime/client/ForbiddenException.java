package dev.chime.client;

import java.util.Optional;

/** 403: the token lacks the scope the call needs ({@link #scope()}). */
public class ForbiddenException extends ChimeApiException {
  private static final long serialVersionUID = 1L;

  /** The error {@code problem} describes, for the call {@code call}. */
  public ForbiddenException(String call, Problem problem) {
    super(call, problem);
  }

  /** The scope the token lacks, such as {@code schedules:write}. */
  public Optional<String> scope() {
    return problem().text("scope");
  }
}
