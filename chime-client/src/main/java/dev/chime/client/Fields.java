package dev.chime.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the members of one JSON object, collecting every problem with its path instead of stopping
 * at the first. A member that is absent or null reads as empty.
 */
final class Fields {
  private final JsonNode node;
  private final String path;
  private final List<FieldError> errors;

  private Fields(JsonNode node, String path, List<FieldError> errors) {
    this.node = node;
    this.path = path;
    this.errors = errors;
  }

  /** The object {@code node}; anything else is an error at {@code path} and reads as empty. */
  static Fields of(JsonNode node, String path, List<FieldError> errors) {
    if (node == null || !node.isObject()) {
      errors.add(new FieldError(path.isEmpty() ? "body" : path, "must be an object"));
      return new Fields(JsonNodeFactory.instance.objectNode(), path, errors);
    }
    return new Fields(node, path, errors);
  }

  String path(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  void error(String name, String reason) {
    errors.add(new FieldError(path(name), reason));
  }

  /** Refuses every member not in {@code known}. */
  void refuseUnknown(Set<String> known) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        error(name, "unknown field");
      }
    }
  }

  Optional<JsonNode> any(String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  Optional<String> text(String name) {
    Optional<JsonNode> value = any(name);
    if (value.isPresent() && !value.get().isTextual()) {
      error(name, "must be a string");
      return Optional.empty();
    }
    return value.map(JsonNode::textValue);
  }

  String requiredText(String name) {
    Optional<String> value = text(name);
    if (value.isEmpty() && any(name).isEmpty()) {
      error(name, "missing");
    }
    return value.orElse("");
  }

  Optional<Boolean> bool(String name) {
    Optional<JsonNode> value = any(name);
    if (value.isPresent() && !value.get().isBoolean()) {
      error(name, "must be true or false");
      return Optional.empty();
    }
    return value.map(JsonNode::booleanValue);
  }

  Optional<Long> integer(String name) {
    Optional<JsonNode> value = any(name);
    if (value.isPresent() && !(value.get().isIntegralNumber() && value.get().canConvertToLong())) {
      error(name, "must be a whole number");
      return Optional.empty();
    }
    return value.map(JsonNode::longValue);
  }

  Optional<Integer> smallInteger(String name) {
    Optional<Long> value = integer(name);
    if (value.isPresent() && (value.get() < Integer.MIN_VALUE || value.get() > Integer.MAX_VALUE)) {
      error(name, "is out of range: " + value.get());
      return Optional.empty();
    }
    return value.map(Long::intValue);
  }

  Optional<Double> number(String name) {
    Optional<JsonNode> value = any(name);
    if (value.isPresent() && !value.get().isNumber()) {
      error(name, "must be a number");
      return Optional.empty();
    }
    return value.map(JsonNode::doubleValue);
  }

  Optional<Instant> instant(String name) {
    Optional<String> value = text(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value.get()).toInstant());
    } catch (DateTimeParseException e) {
      error(name, "must be an ISO-8601 date-time with an offset, such as 2027-06-01T09:30:00Z");
      return Optional.empty();
    }
  }

  /** An object whose values are strings; numbers and booleans are read as their text. */
  Map<String, String> strings(String name) {
    Map<String, String> map = new LinkedHashMap<>();
    Optional<JsonNode> value = any(name);
    if (value.isEmpty()) {
      return map;
    }
    if (!value.get().isObject()) {
      error(name, "must be an object of strings");
      return map;
    }
    value
        .get()
        .fields()
        .forEachRemaining(
            entry -> {
              JsonNode item = entry.getValue();
              if (item.isValueNode() && !item.isNull()) {
                map.put(entry.getKey(), item.asText());
              } else {
                error(name + "." + entry.getKey(), "must be a string");
              }
            });
    return map;
  }

  /** Every member of this object, in order. */
  Set<Map.Entry<String, JsonNode>> members() {
    return node.properties();
  }

  Optional<Fields> object(String name) {
    return any(name).map(value -> Fields.of(value, path(name), errors));
  }

  List<JsonNode> array(String name) {
    Optional<JsonNode> value = any(name);
    if (value.isPresent() && !value.get().isArray()) {
      error(name, "must be a list");
      return List.of();
    }
    List<JsonNode> items = new ArrayList<>();
    value.ifPresent(list -> list.forEach(items::add));
    return items;
  }
}
