package dev.chime.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An error answer of the API: RFC 9457 problem details. An answer that is not problem+json (a
 * proxy's error page) is read as a problem of type {@code about:blank} whose detail is the start of
 * the body.
 *
 * @param status the HTTP status
 * @param type such as {@code urn:chime:problem:invalid-input}
 * @param title the type in words
 * @param detail what went wrong, for people
 * @param instance the request path
 * @param field the offending field, when exactly one is named
 * @param errors every offending field, for bad input
 * @param retryAfter how long to wait before trying again ({@code Retry-After}), for 429 and 503
 * @param body the whole answer, for the members this record has no place for
 */
public record Problem(
    int status,
    String type,
    String title,
    String detail,
    String instance,
    Optional<String> field,
    List<FieldError> errors,
    Optional<Duration> retryAfter,
    JsonNode body) {
  /** Checks the parts and copies the errors. */
  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(field, "field");
    errors = List.copyOf(errors);
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(body, "body");
  }

  /** A member of the body as text, such as {@code scope} or {@code limit}. */
  public Optional<String> text(String member) {
    JsonNode value = body.get(member);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }
}
