package dev.chime;

/** The request clashes with the current state (a duplicate name, a run that cannot move). */
public class ConflictException extends ChimeException {
  private final String field;

  public ConflictException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The request field the conflict is about, or an empty string when it is about the object. */
  public String field() {
    return field;
  }
}
