package dev.chime.client;

/**
 * The root of everything the client throws: {@link ChimeApiException} when Chime answered with an
 * error, {@link ChimeConnectionException} when no answer came, {@link InvalidSpecException} for a
 * schedule document that cannot be read.
 */
public class ChimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error with a message. */
  public ChimeException(String message) {
    super(message);
  }

  /** An error with a message and its cause. */
  public ChimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
