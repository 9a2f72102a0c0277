package dev.chime.server.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.InvalidInputException;
import dev.chime.NotFoundException;
import dev.chime.schedule.InputText;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

/** Reading requests: bodies with a size cap, ids, and query parameters, each with a clear error. */
final class Requests {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** How deep objects and arrays may nest in a request body, the body itself counted as 1. */
  static final int MAX_DEPTH = 32;

  /** A body over the cap but no larger than this is read before it is refused. */
  static final int DRAIN_BYTES = 1024 * 1024;

  /** What a body may hold besides its payload: name, trigger, target, policies. */
  static final int ENVELOPE_BYTES = 32 * 1024;

  private final int defaultPayloadBytes;

  /** {@code defaultPayloadBytes}: the payload cap of a request that has no caller. */
  Requests(int defaultPayloadBytes) {
    this.defaultPayloadBytes = defaultPayloadBytes;
  }

  /**
   * The body as JSON, at most the caller's tenant's payload limit and {@link #ENVELOPE_BYTES}
   * large.
   */
  JsonNode body(Context ctx) {
    dev.chime.server.auth.Caller caller = ctx.attribute(dev.chime.server.auth.Authenticator.CALLER);
    int maxBodyBytes =
        (caller == null ? defaultPayloadBytes : caller.quotas().maxPayloadBytes()) + ENVELOPE_BYTES;
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes && declared > DRAIN_BYTES) {
      // refused on its Content-Length, before any of it is read or waited for; a smaller body
      // is read first, so that the answer is not lost to a connection reset while it is sent
      throw InvalidInputException.tooLarge(
          "body", "is " + declared + " bytes; the limit is " + maxBodyBytes + " bytes");
    }
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > maxBodyBytes) {
      throw InvalidInputException.tooLarge(
          "body", "is " + bytes.length + " bytes; the limit is " + maxBodyBytes + " bytes");
    }
    if (bytes.length == 0) {
      throw new InvalidInputException("body", "is empty; send a JSON object");
    }
    try {
      checkShape(bytes);
      return MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw Problems.badJson(e);
    } catch (IOException e) {
      throw new InvalidInputException("body", "cannot be read: " + e.getMessage());
    }
  }

  /**
   * Checks, before the body is built into a tree, that it nests no deeper than {@link #MAX_DEPTH}
   * (what is stored must be written back in every answer) and holds exactly one JSON value.
   */
  private static void checkShape(byte[] bytes) throws IOException {
    try (JsonParser parser = MAPPER.createParser(bytes)) {
      int depth = 0;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token.isStructStart() && ++depth > MAX_DEPTH) {
          throw new InvalidInputException(
              "body",
              "nests objects and arrays more than "
                  + MAX_DEPTH
                  + " levels deep"
                  + at(parser.currentTokenLocation())
                  + "; the limit is "
                  + MAX_DEPTH);
        } else if (token.isStructEnd()) {
          depth--;
        }
        if (depth == 0) {
          checkNothingAfter(parser);
          return;
        }
      }
    }
  }

  private static void checkNothingAfter(JsonParser parser) throws IOException {
    JsonLocation end = parser.currentLocation();
    boolean more;
    try {
      more = parser.nextToken() != null;
    } catch (JsonProcessingException e) {
      more = true;
    }
    if (more) {
      throw new InvalidInputException(
          "body",
          "has more after its JSON value, which ends" + at(end) + "; send exactly one JSON value");
    }
  }

  static String at(JsonLocation location) {
    return location == null
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  static UUID id(Context ctx, String kind) {
    String text = ctx.pathParam("id");
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equalsIgnoreCase(text)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // not a UUID: no such object can exist
    }
    throw new NotFoundException(kind, text);
  }

  static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInputException(
        name, "must be a whole number from " + min + " to " + max + ", got '" + text + "'");
  }

  static Optional<Boolean> boolParam(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    return switch (text) {
      case "true" -> Optional.of(true);
      case "false" -> Optional.of(false);
      default -> throw new InvalidInputException(name, "must be true or false, got '" + text + "'");
    };
  }

  static Optional<String> textParam(Context ctx, String name, int maxLength) {
    String text = ctx.queryParam(name);
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> problem = InputText.lineProblem(text, maxLength);
    if (problem.isPresent()) {
      throw new InvalidInputException(name, problem.get());
    }
    return Optional.of(text);
  }
}
