package dev.chime.client;

/**
 * No answer from Chime: it could not be reached, the connection broke, or the answer did not come
 * within the request timeout ({@link #timedOut()}). Idempotent calls were tried again before this
 * was thrown.
 */
public class ChimeConnectionException extends ChimeException {
  private static final long serialVersionUID = 1L;

  private final boolean timedOut;

  /** An unanswered call; {@code timedOut} when the request timeout ran out. */
  public ChimeConnectionException(String message, boolean timedOut, Throwable cause) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /** Whether the request timeout ran out (rather than the connection failing). */
  public boolean timedOut() {
    return timedOut;
  }
}
