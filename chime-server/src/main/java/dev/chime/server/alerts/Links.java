package dev.chime.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The links of an alert, by what they show: its schedule's page, its node, its run. */
final class Links {
  private Links() {}

  static Map<String, String> of(JsonNode message) {
    Map<String, String> links = new LinkedHashMap<>();
    put(links, "Schedule", message.path("schedule"));
    put(links, "Node", message.path("node"));
    put(links, "Run", message.path("run"));
    return links;
  }

  private static void put(Map<String, String> links, String name, JsonNode subject) {
    String url = subject.path("url").asText("");
    if (!url.isEmpty()) {
      links.put(name, url);
    }
  }
}
