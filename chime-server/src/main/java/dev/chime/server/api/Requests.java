package dev.chime.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.InvalidInputException;
import dev.chime.NotFoundException;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.UUID;

/** Reading requests: bodies with a size cap, ids, and query parameters, each with a clear error. */
final class Requests {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final int maxBodyBytes;

  Requests(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  JsonNode body(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > maxBodyBytes) {
      throw InvalidInputException.tooLarge(
          "body", "is " + bytes.length + " bytes; the limit is " + maxBodyBytes + " bytes");
    }
    if (bytes.length == 0) {
      throw new InvalidInputException("body", "is empty; send a JSON object");
    }
    try {
      return MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw Problems.badJson(e);
    } catch (java.io.IOException e) {
      throw new InvalidInputException("body", "cannot be read: " + e.getMessage());
    }
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
    if (text.length() > maxLength) {
      throw new InvalidInputException(name, "must be at most " + maxLength + " characters");
    }
    return Optional.of(text);
  }
}
