package dev.chime.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A schedule's labels, {@code {"team":"billing","env":"prod"}}: at most {@link #MAX_LABELS}, keys
 * and values shaped as Kubernetes shapes them, so that a label selector can name any of them.
 */
public final class Labels {
  public static final int MAX_LABELS = 20;
  public static final int MAX_LENGTH = 63;

  /** Lower-case letters, digits and {@code . _ / -}, starting and ending with a letter or digit. */
  static final Pattern KEY = Pattern.compile("[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?");

  /** Empty, or letters, digits and {@code . _ -}, starting and ending with a letter or digit. */
  static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");

  private Labels() {}

  public static SortedMap<String, String> read(
      JsonNode node, String path, ScheduleJson.Errors errors) {
    SortedMap<String, String> labels = new TreeMap<>();
    if (node == null || node.isNull()) {
      return labels;
    }
    if (!node.isObject()) {
      errors.add(path, "must be an object of names to values, such as {\"team\":\"billing\"}");
      return labels;
    }
    if (node.size() > MAX_LABELS) {
      errors.add(path, "has " + node.size() + " labels; the limit is " + MAX_LABELS);
      return labels;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String key = entry.getKey();
      String where = path + "." + key;
      if (!KEY.matcher(key).matches()) {
        errors.add(
            where,
            "is not a label name: 1 to 63 lower-case letters, digits, '.', '_', '/' or '-',"
                + " starting and ending with a letter or digit");
        continue;
      }
      JsonNode value = entry.getValue();
      if (!value.isTextual()) {
        errors.add(where, "must be a string");
      } else if (!VALUE.matcher(value.textValue()).matches()) {
        errors.add(
            where,
            "is not a label value: up to 63 letters, digits, '.', '_' or '-', starting and ending"
                + " with a letter or digit");
      } else {
        labels.put(key, value.textValue());
      }
    }
    return labels;
  }

  public static ObjectNode write(Map<String, String> labels) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    new TreeMap<>(labels).forEach(node::put);
    return node;
  }

  /** Labels as Chime stored them. */
  public static SortedMap<String, String> stored(String json) {
    ScheduleJson.Errors errors = ScheduleJson.Errors.forStored();
    SortedMap<String, String> labels = read(ScheduleJson.parse(json), "labels", errors);
    errors.throwIfAny();
    return Collections.unmodifiableSortedMap(labels);
  }
}
