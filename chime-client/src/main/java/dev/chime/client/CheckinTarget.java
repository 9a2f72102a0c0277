package dev.chime.client;

/**
 * A check-in: Chime calls nothing, and each instant's run waits for the job's ping (a {@code POST}
 * to the schedule's check-in URL). Without one by the instant plus {@code graceS} the run ends
 * {@code failed} with {@code error_code} {@code missed}.
 *
 * @param graceS how long after each instant the ping may come, in seconds (1–86400)
 */
public record CheckinTarget(int graceS) implements Target {
  /** Chime's default grace: five minutes. */
  public static final int DEFAULT_GRACE_S = 300;

  /** Checks that the grace is positive; Chime checks its upper limit. */
  public CheckinTarget {
    if (graceS < 1) {
      throw new IllegalArgumentException("a check-in's grace must be at least 1 s, got " + graceS);
    }
  }

  /** A check-in with Chime's default grace. */
  public static CheckinTarget create() {
    return new CheckinTarget(DEFAULT_GRACE_S);
  }

  @Override
  public String type() {
    return "checkin";
  }
}
