package dev.chime.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * What keeps a web page from using a visitor's browser against Chime, checked before any route:
 *
 * <ul>
 *   <li>security headers on every answer;
 *   <li>a write (POST, PUT, PATCH, DELETE) with a body must say it is JSON, and one without a body
 *       may name no other type, so a cross-site form ({@code text/plain}, {@code
 *       application/x-www-form-urlencoded}, {@code multipart/form-data}) gets 415;
 *   <li>a write that a browser sends from a page of another origin is refused with 403, unless that
 *       origin is in {@code http.cors.origins};
 *   <li>CORS headers only for the origins in {@code http.cors.origins} (none by default), and
 *       OPTIONS answered here: with {@code Allow}, and as a CORS preflight for those origins.
 * </ul>
 */
final class BrowserGuard {
  static final String JSON = "application/json";
  static final String MERGE_PATCH = "application/merge-patch+json";

  private static final Set<HandlerType> WRITES =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
  private static final String ALLOWED_REQUEST_HEADERS = "Content-Type, Authorization";
  private static final String EXPOSED_HEADERS = "Location, Retry-After";
  private static final String PREFLIGHT_MAX_AGE_S = "600";

  private final Set<String> corsOrigins;
  private final Function<String, List<String>> methodsOf;

  /**
   * {@code methodsOf} tells the methods routed at a path (empty when there is no such path), for
   * {@code Allow}.
   */
  BrowserGuard(List<String> corsOrigins, Function<String, List<String>> methodsOf) {
    this.corsOrigins = Set.copyOf(corsOrigins);
    this.methodsOf = methodsOf;
  }

  void check(Context ctx) {
    SecurityHeaders.addTo(ctx.res());
    String origin = ctx.header("Origin");
    boolean corsAllowed = origin != null && corsOrigins.contains(origin);
    if (!corsOrigins.isEmpty()) {
      ctx.res().addHeader("Vary", "Origin");
    }
    if (corsAllowed) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
    if (ctx.method() == HandlerType.OPTIONS) {
      options(ctx, origin, corsAllowed);
      ctx.skipRemainingHandlers();
    } else if (WRITES.contains(ctx.method())) {
      if (origin != null && !corsAllowed && !sameOrigin(ctx, origin)) {
        refuseOrigin(ctx, "a page of " + origin + " may not change anything here");
      } else {
        checkContentType(ctx);
      }
    }
  }

  private void options(Context ctx, String origin, boolean corsAllowed) {
    List<String> methods = methodsOf.apply(ctx.path());
    if (methods.isEmpty()) {
      refuse(
          ctx,
          Problems.problem(ctx, 404, "not-found", "Not found", "no resource at " + ctx.path()));
      return;
    }
    String allow = String.join(", ", methods);
    ctx.header("Allow", allow);
    String requested = ctx.header("Access-Control-Request-Method");
    if (origin != null && requested != null && !corsAllowed) {
      refuseOrigin(ctx, "the origin " + origin + " is not allowed to call this API");
      return;
    }
    if (corsAllowed && requested != null) {
      ctx.header("Access-Control-Allow-Methods", allow);
      ctx.header("Access-Control-Allow-Headers", ALLOWED_REQUEST_HEADERS);
      ctx.header("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_S);
    }
    ctx.status(204);
  }

  /**
   * The types a write's body may have: JSON, and for PATCH also a JSON merge patch, which is how
   * every PATCH body is read. A body must name its type; a charset, when named, must be UTF-8.
   */
  private void checkContentType(Context ctx) {
    List<String> accepted =
        ctx.method() == HandlerType.PATCH ? List.of(MERGE_PATCH, JSON) : List.of(JSON);
    String header = ctx.header("Content-Type");
    boolean hasBody =
        ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    String reason = null;
    if (header == null || header.isBlank()) {
      if (hasBody) {
        reason = "is missing; a body must be sent as " + String.join(" or ", accepted);
      }
    } else {
      String[] parts = header.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      if (!accepted.contains(type)) {
        reason =
            "is "
                + type
                + "; "
                + ctx.method()
                + " "
                + ctx.path()
                + " accepts "
                + String.join(" or ", accepted);
      } else {
        for (int i = 1; i < parts.length; i++) {
          String[] parameter = parts[i].trim().split("=", 2);
          if (parameter[0].trim().equalsIgnoreCase("charset")
              && !(parameter.length == 2 && unquote(parameter[1]).equalsIgnoreCase("utf-8"))) {
            reason = "names charset " + parts[i].trim() + "; JSON is read as UTF-8 only";
          }
        }
      }
    }
    if (reason != null) {
      ObjectNode problem =
          Problems.problem(
              ctx,
              415,
              "unsupported-media-type",
              "Unsupported media type",
              "Content-Type " + reason);
      problem.put("field", "Content-Type");
      problem.putArray("errors").addObject().put("field", "Content-Type").put("reason", reason);
      problem.putArray("accepted").addAll(accepted.stream().map(problem::textNode).toList());
      if (ctx.method() == HandlerType.PATCH) {
        ctx.header("Accept-Patch", String.join(", ", accepted));
      }
      refuse(ctx, problem);
    }
  }

  /** A browser's Origin names this server when it is the host and port the request was sent to. */
  private static boolean sameOrigin(Context ctx, String origin) {
    String host = ctx.header("Host");
    if (host == null) {
      return false;
    }
    try {
      URI uri = URI.create(origin);
      if (uri.getHost() == null) {
        return false;
      }
      String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return authority.equalsIgnoreCase(host) || withDefaultPort(uri).equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false; // "null" and other opaque origins are never this server
    }
  }

  private static String withDefaultPort(URI origin) {
    int port =
        origin.getPort() >= 0 ? origin.getPort() : "https".equals(origin.getScheme()) ? 443 : 80;
    return origin.getHost() + ":" + port;
  }

  private static String unquote(String value) {
    String text = value.trim();
    return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
        ? text.substring(1, text.length() - 1)
        : text;
  }

  private static void refuseOrigin(Context ctx, String what) {
    refuse(
        ctx,
        Problems.problem(
            ctx,
            403,
            "cross-origin",
            "Cross-origin request refused",
            what + "; an operator can allow it in http.cors.origins"));
  }

  private static void refuse(Context ctx, ObjectNode problem) {
    Problems.send(ctx, problem.get("status").asInt(), problem);
    ctx.skipRemainingHandlers();
  }
}
