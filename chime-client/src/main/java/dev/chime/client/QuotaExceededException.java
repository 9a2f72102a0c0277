package dev.chime.client;

import java.util.Optional;

/** 422: the change would take the tenant over one of its limits, named with its value. */
public class QuotaExceededException extends ChimeApiException {
  private static final long serialVersionUID = 1L;

  /** The error {@code problem} describes, for the call {@code call}. */
  public QuotaExceededException(String call, Problem problem) {
    super(call, problem);
  }

  /** The limit reached, such as {@code max_enabled_schedules}. */
  public Optional<String> limit() {
    return problem().text("limit");
  }

  /** The limit's value. */
  public Optional<Long> value() {
    return problem().text("value").map(Long::parseLong);
  }
}
