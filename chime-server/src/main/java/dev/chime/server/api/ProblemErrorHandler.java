package dev.chime.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own answers, to requests it cannot hand to the API at all (a URI it cannot decode, a
 * request line or headers over its limit), as problem+json with the security headers, instead of
 * Jetty's HTML pages.
 */
final class ProblemErrorHandler extends ErrorHandler {
  private final int requestHeadBytes;

  /** {@code requestHeadBytes}: the most the request line and headers may take, for messages. */
  ProblemErrorHandler(int requestHeadBytes) {
    this.requestHeadBytes = requestHeadBytes;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    SecurityHeaders.addTo(fields);
    fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
    return ByteBuffer.wrap(problem(status, reason, "").toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void generateAcceptableResponse(
      Request baseRequest,
      HttpServletRequest request,
      HttpServletResponse response,
      int code,
      String message)
      throws IOException {
    SecurityHeaders.addTo(response);
    response.setContentType(Problems.CONTENT_TYPE);
    byte[] body =
        problem(code, message, request.getRequestURI() == null ? "" : request.getRequestURI())
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    baseRequest.setHandled(true);
  }

  /** {@code jettyReason}: Jetty's words for a 400, which name the cause unless it is the URI. */
  private ObjectNode problem(int status, String jettyReason, String instance) {
    String field;
    String reason;
    switch (status) {
      case 414 -> {
        field = "uri";
        reason = "is longer than the server accepts: " + requestHeadBytes + " bytes";
      }
      case 431 -> {
        field = "headers";
        reason =
            "are larger than the server accepts: "
                + requestHeadBytes
                + " bytes for the request line and all headers together";
      }
      case 400 -> {
        if (aboutTheUri(jettyReason)) {
          field = "uri";
          reason =
              "cannot be read: it has a %-escape that is broken (such as %zz) or that decodes"
                  + " to a control character (such as %00)";
        } else {
          field = "request";
          reason = "cannot be read: " + jettyReason;
        }
      }
      default -> {
        field = null;
        reason = null;
      }
    }
    String slug =
        switch (status) {
          case 400 -> "bad-request";
          case 414 -> "uri-too-long";
          case 431 -> "headers-too-large";
          default -> "http-" + status;
        };
    String detail =
        reason == null
            ? "the server could not handle the request (HTTP " + status + ")"
            : field + ": " + reason;
    ObjectNode problem = Problems.problem(instance, status, slug, Problems.title(status), detail);
    if (field != null) {
      problem.put("field", field);
      problem.putArray("errors").addObject().put("field", field).put("reason", reason);
    }
    return problem;
  }

  private static boolean aboutTheUri(String reason) {
    if (reason == null || reason.isBlank() || reason.equalsIgnoreCase("Bad Request")) {
      return true;
    }
    String lower = reason.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("uri") || lower.contains("path") || lower.contains("ambiguous");
  }
}
