package dev.chime.cli;

/** The command refuses its input (a file, a crontab line) before asking Chime; exit code 3. */
final class RefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RefusedException(String message) {
    super(message);
  }
}
