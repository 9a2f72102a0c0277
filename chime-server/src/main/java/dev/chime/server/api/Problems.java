package dev.chime.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.ConflictException;
import dev.chime.InvalidInputException;
import dev.chime.NotFoundException;
import dev.chime.QuotaExceededException;
import dev.chime.TargetForbiddenException;
import dev.chime.server.auth.AuthException;
import dev.chime.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: RFC 9457 {@code application/problem+json} with
 * a {@code type}, {@code title}, {@code status}, {@code detail} and, for bad input, an {@code
 * errors} list that names each field and what is wrong with it.
 */
final class Problems {
  static final String CONTENT_TYPE = "application/problem+json";

  /** When a client may try again after the database did not answer, in seconds. */
  static final String RETRY_AFTER_S = "2";

  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  static void register(RoutesConfig app) {
    app.exception(
        InvalidInputException.class,
        (e, ctx) -> {
          int status = e.tooLarge() ? 413 : 400;
          ObjectNode problem =
              problem(
                  ctx,
                  status,
                  e.tooLarge() ? "payload-too-large" : "invalid-input",
                  e.tooLarge() ? "Request too large" : "Invalid input",
                  e.getMessage());
          ArrayNode errors = problem.putArray("errors");
          e.errors()
              .forEach(
                  error ->
                      errors.addObject().put("field", error.field()).put("reason", error.reason()));
          if (e.errors().size() == 1) {
            problem.put("field", e.errors().get(0).field());
          }
          send(ctx, status, problem);
        });
    app.exception(
        NotFoundException.class,
        (e, ctx) -> {
          ObjectNode problem = problem(ctx, 404, "not-found", "Not found", e.getMessage());
          problem.put("id", e.id());
          send(ctx, 404, problem);
        });
    app.exception(
        ConflictException.class,
        (e, ctx) -> {
          ObjectNode problem = problem(ctx, 409, "conflict", "Conflict", e.getMessage());
          if (!e.field().isEmpty()) {
            problem.put("field", e.field());
            problem
                .putArray("errors")
                .addObject()
                .put("field", e.field())
                .put("reason", e.getMessage());
          }
          send(ctx, 409, problem);
        });
    app.exception(
        QuotaExceededException.class,
        (e, ctx) -> {
          ObjectNode problem =
              problem(ctx, 422, "quota-exceeded", "Quota exceeded", e.getMessage());
          problem.put("field", e.field());
          problem.put("limit", e.limit());
          problem.put("value", e.value());
          problem
              .putArray("errors")
              .addObject()
              .put("field", e.field())
              .put("reason", e.getMessage());
          send(ctx, 422, problem);
        });
    app.exception(
        AuthException.Unauthorized.class,
        (e, ctx) -> {
          ctx.header("WWW-Authenticate", e.challenge());
          send(ctx, 401, problem(ctx, 401, "unauthorized", "Unauthorized", e.getMessage()));
        });
    app.exception(
        AuthException.Forbidden.class,
        (e, ctx) -> {
          ObjectNode problem = problem(ctx, 403, "forbidden", "Forbidden", e.getMessage());
          problem.put("scope", e.scope());
          send(ctx, 403, problem);
        });
    app.exception(
        AuthException.Throttled.class,
        (e, ctx) -> {
          long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
          ctx.header("Retry-After", Long.toString(seconds));
          ObjectNode problem =
              problem(ctx, 429, "too-many-bad-tokens", "Too many requests", e.getMessage());
          problem.put("retry_after_s", seconds);
          send(ctx, 429, problem);
        });
    app.exception(
        TargetForbiddenException.class,
        (e, ctx) -> {
          ObjectNode problem =
              problem(ctx, 422, "target-forbidden", "Target forbidden", e.getMessage());
          problem.put("field", e.field());
          problem.putArray("errors").addObject().put("field", e.field()).put("reason", e.reason());
          send(ctx, 422, problem);
        });
    app.exception(
        StoreException.class,
        (e, ctx) -> {
          log.error("database failure on {} {}", ctx.method(), ctx.path(), e);
          ctx.header("Retry-After", RETRY_AFTER_S);
          send(
              ctx,
              503,
              problem(
                  ctx,
                  503,
                  "database-unavailable",
                  "Database unavailable",
                  "the database did not answer; nothing was changed by this request"));
        });
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          int status = e.getStatus();
          String slug =
              switch (status) {
                case 404 -> "not-found";
                case 405 -> "method-not-allowed";
                case 413 -> "payload-too-large";
                default -> "http-" + status;
              };
          String detail =
              switch (status) {
                case 404 -> "no resource at " + ctx.path();
                case 405 -> ctx.method() + " is not allowed on " + ctx.path();
                default -> e.getMessage();
              };
          ObjectNode problem = problem(ctx, status, slug, title(status), detail);
          if (status == 413) {
            // the server's own cap on any request, far above the body cap Requests checks
            String reason = "is larger than the server accepts";
            problem.put("field", "body");
            problem.putArray("errors").addObject().put("field", "body").put("reason", reason);
          }
          send(ctx, status, problem);
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
          send(
              ctx,
              500,
              problem(
                  ctx,
                  500,
                  "internal-error",
                  "Internal error",
                  "an unexpected error occurred; see the server log"));
        });
  }

  static InvalidInputException badJson(JsonProcessingException e) {
    return new InvalidInputException(
        "body",
        "is not valid JSON" + Requests.at(e.getLocation()) + ": " + plain(e.getOriginalMessage()));
  }

  /**
   * A JSON parser's message without what only its authors can read: where the value started as the
   * parser's source, and which of its settings a limit comes from.
   */
  static String plain(String message) {
    String text = message == null ? "" : message.split("\n", 2)[0];
    text =
        text.replaceAll("\\s*\\((?:start marker at|for \\w+ starting at) \\[Source:.*\\]\\)", "");
    text = text.replaceAll(",\\s*from `[^`]*`", "");
    text =
        text.replaceAll(
            "^Number value length \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)\\)$",
            "a number of $1 digits, more than the $2 a number may have");
    text =
        text.replaceAll(
            "^Name length \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)\\)$",
            "a field name of $1 characters, more than the $2 a name may have");
    if (text.isBlank() || text.contains("`") || text.contains("Source:")) {
      return "the text breaks JSON syntax";
    }
    return text;
  }

  static ObjectNode problem(Context ctx, int status, String slug, String title, String detail) {
    return problem(ctx.path(), status, slug, title, detail);
  }

  static ObjectNode problem(String instance, int status, String slug, String title, String detail) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", "urn:chime:problem:" + slug);
    node.put("title", title);
    node.put("status", status);
    node.put("detail", detail);
    node.put("instance", instance);
    return node;
  }

  static void send(Context ctx, int status, ObjectNode problem) {
    ctx.status(status);
    ctx.contentType(CONTENT_TYPE);
    ctx.result(problem.toString());
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Request too large";
      case 414 -> "URI too long";
      case 415 -> "Unsupported media type";
      case 422 -> "Unprocessable content";
      case 431 -> "Request headers too large";
      default -> "HTTP " + status;
    };
  }
}
