package dev.chime.client;

import java.util.Objects;

/**
 * One thing wrong with the input.
 *
 * @param field a JSON path such as {@code trigger.expr}, a query parameter, or {@code body}
 * @param reason what is wrong with it
 */
public record FieldError(String field, String reason) {
  /** Checks that both parts are given. */
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return field + ": " + reason;
  }
}
