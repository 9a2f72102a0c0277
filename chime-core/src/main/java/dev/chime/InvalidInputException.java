package dev.chime;

import java.util.List;

/**
 * Input that breaks a rule. Carries every offending field with its reason, so a caller can fix all
 * of them at once. Field names are JSON paths as the user wrote them: {@code trigger.expr}.
 */
public class InvalidInputException extends ChimeException {
  /** One offending field. */
  public record FieldError(String field, String reason) {}

  private final List<FieldError> errors;
  private final boolean tooLarge;

  public InvalidInputException(String field, String reason) {
    this(List.of(new FieldError(field, reason)), false);
  }

  public InvalidInputException(List<FieldError> errors) {
    this(errors, false);
  }

  private InvalidInputException(List<FieldError> errors, boolean tooLarge) {
    super(summary(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an InvalidInputException needs at least one field error");
    }
    this.errors = List.copyOf(errors);
    this.tooLarge = tooLarge;
  }

  /** Input over a size limit: the server answers 413 rather than 400. */
  public static InvalidInputException tooLarge(String field, String reason) {
    return new InvalidInputException(List.of(new FieldError(field, reason)), true);
  }

  public List<FieldError> errors() {
    return errors;
  }

  public boolean tooLarge() {
    return tooLarge;
  }

  private static String summary(List<FieldError> errors) {
    StringBuilder text = new StringBuilder();
    for (FieldError error : errors) {
      if (!text.isEmpty()) {
        text.append("; ");
      }
      text.append(error.field()).append(": ").append(error.reason());
    }
    return text.toString();
  }
}
