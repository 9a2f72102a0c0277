package dev.chime.client;

/**
 * 400, 413 or 415: the input is wrong; {@link #errors()} names every offending field with the
 * reason, such as {@code trigger.expr: hour field at position 2: 25 is out of range 0-23}.
 */
public class InvalidInputException extends ChimeApiException {
  private static final long serialVersionUID = 1L;

  /** The error {@code problem} describes, for the call {@code call}. */
  public InvalidInputException(String call, Problem problem) {
    super(call, problem);
  }
}
