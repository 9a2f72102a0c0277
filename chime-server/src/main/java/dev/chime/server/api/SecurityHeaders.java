package dev.chime.server.api;

import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/**
 * The headers on every answer, errors included: no guessing of content types, no Referer sent on,
 * and no framing or foreign scripts for the pages Chime will serve.
 */
final class SecurityHeaders {
  private static final Map<String, String> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put("X-Content-Type-Options", "nosniff");
    HEADERS.put("Referrer-Policy", "no-referrer");
    HEADERS.put(
        "Content-Security-Policy",
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    HEADERS.put("X-Frame-Options", "DENY");
  }

  private SecurityHeaders() {}

  static void addTo(HttpServletResponse response) {
    HEADERS.forEach(response::setHeader);
  }

  static void addTo(HttpFields.Mutable fields) {
    HEADERS.forEach(fields::put);
  }
}
