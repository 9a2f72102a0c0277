package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.alert.AlertRule;
import java.io.IOException;
import java.util.Set;

/** Which results a result rule tells: {@code success}, {@code failure} or {@code both}. */
final class ResultFilter {
  static final Set<String> VALUES = Set.of("success", "failure", "both");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ResultFilter() {}

  static String of(AlertRule rule) {
    try {
      JsonNode params = MAPPER.readTree(rule.paramsJson());
      String on = params.path("on").asText("both");
      return VALUES.contains(on) ? on : "both";
    } catch (IOException e) {
      return "both";
    }
  }
}
