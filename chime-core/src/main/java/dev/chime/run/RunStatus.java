package dev.chime.run;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a run stands. The table of legal moves is here and nowhere else; the store writes a status
 * only through {@link #checkMove}.
 */
public enum RunStatus {
  QUEUED,
  RUNNING,
  SUCCESS,
  FAILED,
  TIMEOUT,
  CANCELLED,
  /** Never sent: the instant was missed outside the catch-up window, or fell on an overlap. */
  SKIPPED;

  private static final Map<RunStatus, Set<RunStatus>> ALLOWED =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, CANCELLED, SKIPPED),
          // back to QUEUED: marked running ahead of its instant, then given back unsent at a stop
          RUNNING, EnumSet.of(SUCCESS, FAILED, TIMEOUT, CANCELLED, QUEUED),
          SUCCESS, EnumSet.noneOf(RunStatus.class),
          FAILED, EnumSet.noneOf(RunStatus.class),
          TIMEOUT, EnumSet.noneOf(RunStatus.class),
          CANCELLED, EnumSet.noneOf(RunStatus.class),
          SKIPPED, EnumSet.noneOf(RunStatus.class));

  /** The name used in the API and the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunStatus fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  public boolean isFinal() {
    return ALLOWED.get(this).isEmpty();
  }

  public boolean canMoveTo(RunStatus next) {
    return ALLOWED.get(this).contains(next);
  }

  /** Throws when a run may not move from this status to {@code next}: that is a bug in Chime. */
  public void checkMove(RunStatus next) {
    if (!canMoveTo(next)) {
      throw new IllegalStateException("a run cannot move from " + this + " to " + next);
    }
  }
}
