package dev.chime.client;

/** 404: the id is unknown (or another tenant's), or the path is. */
public class NotFoundException extends ChimeApiException {
  private static final long serialVersionUID = 1L;

  /** The error {@code problem} describes, for the call {@code call}. */
  public NotFoundException(String call, Problem problem) {
    super(call, problem);
  }
}
