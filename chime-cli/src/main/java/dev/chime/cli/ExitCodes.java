package dev.chime.cli;

/**
 * What {@code chime} exits with, so that scripts can tell the failures apart (docs/clients.md has
 * the same table).
 */
final class ExitCodes {
  /** It worked. */
  static final int OK = 0;

  /** The command line is wrong: an unknown command or option, a missing or bad value. */
  static final int USAGE = 1;

  /** No such schedule or run. */
  static final int NOT_FOUND = 2;

  /**
   * Refused: Chime or the command found the input wrong (bad field, name taken, over a limit, a
   * schedule file or crontab line that cannot be read), or a run that cannot move that way.
   */
  static final int REFUSED = 3;

  /** No valid token, or one without the scope the command needs. */
  static final int AUTH = 4;

  /** Chime could not be reached, did not answer in time, or failed (5xx). */
  static final int UNAVAILABLE = 5;

  /** {@code schedules run --wait}: the run ended, but not in success. */
  static final int RUN_FAILED = 6;

  private ExitCodes() {}
}
