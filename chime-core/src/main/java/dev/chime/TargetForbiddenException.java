package dev.chime;

/**
 * A target the address policy refuses, known as it is written: an address literal in a refused
 * range, a cloud metadata host, a host off the tenant's allow-list. The server answers 422.
 */
public class TargetForbiddenException extends ChimeException {
  private final String field;

  public TargetForbiddenException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
  }

  /** The request field that names the target, such as {@code target.url}. */
  public String field() {
    return field;
  }

  /** What is refused and why, without the field's name. */
  public String reason() {
    return getMessage().substring(field.length() + 2);
  }
}
