package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.alert.AlertRule;
import java.io.IOException;
import java.util.Set;

/**
 * Which results a result rule tells: {@code success}, {@code failure} or {@code both}; and the
 * parameters of the kinds that have some.
 */
final class ResultFilter {
  static final Set<String> VALUES = Set.of("success", "failure", "both");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ResultFilter() {}

  static String of(AlertRule rule) {
    String on = params(rule).path("on").asText("both");
    return VALUES.contains(on) ? on : "both";
  }

  /** A rule's own parameters ({@code params_json}); empty when unreadable. */
  static JsonNode params(AlertRule rule) {
    try {
      return MAPPER.readTree(rule.paramsJson());
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }
}
