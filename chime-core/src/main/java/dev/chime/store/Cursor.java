package dev.chime.store;

import dev.chime.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** A position in a listing ordered by (instant, id); opaque to API users. */
record Cursor(Instant at, UUID id) {
  String encode() {
    String raw = at.getEpochSecond() + ":" + at.getNano() + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static Cursor decode(String text) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      String[] parts = raw.split(":", 3);
      return new Cursor(
          Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
          UUID.fromString(parts[2]));
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new InvalidInputException("cursor", "is not a cursor this API gave out");
    }
  }
}
