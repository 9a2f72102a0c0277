package dev.chime;

/**
 * Root of every exception Chime throws on purpose; the server maps each kind to one HTTP status.
 */
public class ChimeException extends RuntimeException {
  public ChimeException(String message) {
    super(message);
  }

  public ChimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
