package dev.chime.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers, to requests it cannot hand to the API at all (a URI it cannot decode, a
 * request line or headers over its limit), as problem+json with the security headers, instead of
 * Jetty's HTML pages. The server and the servlet context both answer errors with it.
 */
final class ProblemErrorHandler extends ErrorHandler {
  private final int requestHeadBytes;

  /** {@code requestHeadBytes}: the most the request line and headers may take, for messages. */
  ProblemErrorHandler(int requestHeadBytes) {
    this.requestHeadBytes = requestHeadBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String message = (String) request.getAttribute(ERROR_MESSAGE);
    HttpURI uri = request.getHttpURI();
    String instance = uri == null || uri.getPath() == null ? "" : uri.getPath();
    if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException refused) {
      // a request Jetty refused as it read it, before any handler: it has no path to speak of
      status = refused.getCode();
      response.setStatus(status);
      message = message == null ? refused.getReason() : message;
      instance = "";
    }
    SecurityHeaders.addTo(response.getHeaders());
    if (!request.getConnectionMetaData().isPersistent()) {
      // Jetty closes the connection after this answer; said even to a request whose HTTP
      // version it never read (a URI too long or broken), so that no client sends more on it
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    if (HttpStatus.hasNoBody(status)) {
      callback.succeeded();
      return true;
    }
    byte[] body = problem(status, message, instance).toString().getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
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
          case 404 -> "not-found";
          case 414 -> "uri-too-long";
          case 431 -> "headers-too-large";
          default -> "http-" + status;
        };
    String detail;
    if (status == 404) {
      // a request Jetty keeps from Javalin, such as OPTIONS *: said as Javalin's own 404 is
      detail = "no resource at " + instance;
    } else if (reason == null) {
      detail = "the server could not handle the request (HTTP " + status + ")";
    } else {
      detail = field + ": " + reason;
    }
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
    return lower.contains("uri")
        || lower.contains("path")
        || lower.contains("ambiguous")
        || lower.contains("utf-8");
  }
}
