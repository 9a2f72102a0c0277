package dev.chime.cli;

/** A schedule named on the command line that the tenant does not have; exit code 2. */
final class NoSuchThingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NoSuchThingException(String message) {
    super(message);
  }
}
