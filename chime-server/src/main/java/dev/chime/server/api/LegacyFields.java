package dev.chime.server.api;

import dev.chime.ConflictException;
import dev.chime.InvalidInputException;
import dev.chime.QuotaExceededException;
import dev.chime.TargetForbiddenException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The older schedulers' APIs are translated into Chime's schedules; a refusal of the translated
 * schedule names the field the caller wrote ({@code interval_secs}), not Chime's ({@code
 * trigger.seconds}).
 */
final class LegacyFields {
  private final Map<String, String> names;

  /** {@code names}: Chime's field (or the start of its path) to the older API's. */
  LegacyFields(Map<String, String> names) {
    this.names = Map.copyOf(names);
  }

  <T> T translate(Supplier<T> work) {
    try {
      return work.get();
    } catch (InvalidInputException e) {
      if (e.tooLarge()) {
        throw e;
      }
      throw new InvalidInputException(
          e.errors().stream()
              .map(
                  error ->
                      new InvalidInputException.FieldError(name(error.field()), error.reason()))
              .toList());
    } catch (QuotaExceededException e) {
      throw new QuotaExceededException(name(e.field()), e.limit(), e.value(), e.getMessage());
    } catch (TargetForbiddenException e) {
      throw new TargetForbiddenException(name(e.field()), e.reason());
    } catch (ConflictException e) {
      throw new ConflictException(name(e.field()), e.getMessage());
    }
  }

  String name(String field) {
    String exact = names.get(field);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, String> name : names.entrySet()) {
      if (field.startsWith(name.getKey() + ".")) {
        return name.getValue() + field.substring(name.getKey().length());
      }
    }
    return field;
  }
}
