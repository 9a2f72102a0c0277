package dev.chime.client;

import java.time.Duration;
import java.util.Optional;

/**
 * 429: this address sent too many bad tokens within a minute; Chime refuses its calls until the
 * minute is over. Never retried: the token is what needs fixing.
 */
public class RateLimitedException extends ChimeApiException {
  private static final long serialVersionUID = 1L;

  /** The error {@code problem} describes, for the call {@code call}. */
  public RateLimitedException(String call, Problem problem) {
    super(call, problem);
  }

  /** How long Chime asked to wait ({@code Retry-After}). */
  public Optional<Duration> retryAfter() {
    return problem().retryAfter();
  }
}
