package dev.chime.client;

/**
 * 409: the name is taken, or the run cannot move that way (retry a run that succeeded, cancel one
 * that ended).
 */
public class ConflictException extends ChimeApiException {
  private static final long serialVersionUID = 1L;

  /** The error {@code problem} describes, for the call {@code call}. */
  public ConflictException(String call, Problem problem) {
    super(call, problem);
  }
}
