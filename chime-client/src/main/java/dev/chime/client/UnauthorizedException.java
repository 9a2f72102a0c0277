package dev.chime.client;

/** 401: no token, or one that is unknown, revoked or expired. */
public class UnauthorizedException extends ChimeApiException {
  private static final long serialVersionUID = 1L;

  /** The error {@code problem} describes, for the call {@code call}. */
  public UnauthorizedException(String call, Problem problem) {
    super(call, problem);
  }
}
