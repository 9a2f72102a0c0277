package dev.chime.timing;

/** A cron expression could not be parsed; says where, in which field and why. */
public final class CronSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int position;
  private final String field;
  private final String reason;

  CronSyntaxException(int position, String field, String reason) {
    super(
        field
            + (field.equals("expression") ? "" : " field")
            + " at position "
            + position
            + ": "
            + reason);
    this.position = position;
    this.field = field;
    this.reason = reason;
  }

  /** 0-based character index in the trimmed expression where the problem is. */
  public int position() {
    return position;
  }

  /**
   * "second", "minute", "hour", "day-of-month", "month", "day-of-week", or "expression" for
   * whole-expression problems.
   */
  public String field() {
    return field;
  }

  /** Short human-readable reason, without the position. */
  public String reason() {
    return reason;
  }
}
