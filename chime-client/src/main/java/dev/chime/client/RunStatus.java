package dev.chime.client;

import java.util.Locale;

/** Where a run stands. {@link #isFinished()} tells the states a run does not leave. */
public enum RunStatus {
  /** Waiting until its due time (a retry, a run-now, an instant queued behind another). */
  QUEUED,
  /** Sent, or accepted by an async target that has not reported back yet. */
  RUNNING,
  /** The target answered 2xx (or reported success). */
  SUCCESS,
  /** The target answered an error, or could not be reached. */
  FAILED,
  /** No answer within the target's timeout, or no callback within its async timeout. */
  TIMEOUT,
  /** Cancelled by a user or by the overlap policy. */
  CANCELLED,
  /** Not sent: missed during downtime, or skipped by the overlap policy. */
  SKIPPED;

  /** The name on the wire, such as {@code success}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the run has ended and will not change again. */
  public boolean isFinished() {
    return this != QUEUED && this != RUNNING;
  }

  /** The status a wire name stands for. */
  public static RunStatus fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
