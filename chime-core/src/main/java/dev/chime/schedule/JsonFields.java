package dev.chime.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reading single JSON fields with errors that name the field and the limit. */
public final class JsonFields {
  private JsonFields() {}

  static void onlyFields(
      JsonNode node, String path, ScheduleJson.Errors errors, String... allowed) {
    Set<String> known = Set.of(allowed);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        errors.add(
            path + "." + field,
            "unknown field; this object has " + String.join(", ", sorted(known)));
      }
    }
  }

  public static String requiredText(
      JsonNode parent, String field, String path, int maxLength, ScheduleJson.Errors errors) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      errors.add(path, "is required");
      return null;
    }
    return text(node, path, maxLength, errors);
  }

  public static String optionalText(
      JsonNode parent, String field, String path, int maxLength, ScheduleJson.Errors errors) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    return text(node, path, maxLength, errors);
  }

  /** Multi-line text (tabs and line breaks allowed), or null when absent. */
  static String optionalMultilineText(
      JsonNode parent, String field, String path, int maxLength, ScheduleJson.Errors errors) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    return text(node, path, maxLength, true, errors);
  }

  static String text(JsonNode node, String path, int maxLength, ScheduleJson.Errors errors) {
    return text(node, path, maxLength, false, errors);
  }

  private static String text(
      JsonNode node, String path, int maxLength, boolean multiline, ScheduleJson.Errors errors) {
    if (!node.isTextual()) {
      errors.add(path, "must be a string");
      return null;
    }
    String value = node.textValue();
    if (errors.checksInput()) {
      Optional<String> problem =
          multiline
              ? InputText.multilineProblem(value, maxLength)
              : InputText.lineProblem(value, maxLength);
      if (problem.isPresent()) {
        errors.add(path, problem.get());
        return null;
      }
    }
    return value;
  }

  static List<String> sorted(Set<String> values) {
    List<String> list = new ArrayList<>(values);
    list.sort(null);
    return list;
  }

  public static long wholeNumber(
      JsonNode parent,
      String field,
      String path,
      long min,
      long max,
      long defaultValue,
      ScheduleJson.Errors errors) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      errors.add(path, "must be a whole number from " + min + " to " + max);
      return defaultValue;
    }
    long value = node.longValue();
    if (value < min || value > max) {
      errors.add(path, "must be from " + min + " to " + max + ", got " + value);
      return defaultValue;
    }
    return value;
  }

  static double fraction(
      JsonNode parent,
      String field,
      String path,
      double min,
      double max,
      double defaultValue,
      ScheduleJson.Errors errors) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (!node.isNumber() || node.doubleValue() < min || node.doubleValue() > max) {
      errors.add(path, "must be a number from " + min + " to " + max);
      return defaultValue;
    }
    return node.doubleValue();
  }

  /** RFC 7396 merge patch: objects merge field by field, null deletes, anything else replaces. */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : ((ObjectNode) patch).objectNode();
    for (java.util.Map.Entry<String, JsonNode> entry : patch.properties()) {
      if (entry.getValue().isNull()) {
        result.remove(entry.getKey());
      } else {
        result.set(entry.getKey(), mergePatch(result.get(entry.getKey()), entry.getValue()));
      }
    }
    return result;
  }
}
