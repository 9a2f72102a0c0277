package dev.chime.cli;

/** The command line asks for something that does not go together; exit code 1. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
