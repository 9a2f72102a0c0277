package dev.chime.client;

import java.time.Duration;
import java.util.Optional;

/**
 * 503: Chime could not do it now (its database did not answer in time), and asks to try again
 * later. Idempotent calls were retried while the wait Chime asked for was short enough.
 */
public class UnavailableException extends ChimeApiException {
  private static final long serialVersionUID = 1L;

  /** The error {@code problem} describes, for the call {@code call}. */
  public UnavailableException(String call, Problem problem) {
    super(call, problem);
  }

  /** How long Chime asked to wait ({@code Retry-After}). */
  public Optional<Duration> retryAfter() {
    return problem().retryAfter();
  }
}
