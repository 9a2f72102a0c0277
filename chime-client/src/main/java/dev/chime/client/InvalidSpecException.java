package dev.chime.client;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A schedule document (JSON or YAML read into a tree) that is not a schedule: each offending field
 * is named, as Chime names them.
 */
public class InvalidSpecException extends ChimeException {
  private static final long serialVersionUID = 1L;

  private final List<FieldError> errors;

  /** The document's errors. */
  public InvalidSpecException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  /** Every offending field. */
  public List<FieldError> errors() {
    return errors;
  }
}
