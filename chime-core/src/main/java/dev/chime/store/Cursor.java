package dev.chime.store;

import dev.chime.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A position in a listing ordered by (instant, rank, id), where rank breaks ties between rows of
 * one instant (a run's attempt; 0 for schedules). Opaque to API users.
 */
record Cursor(Instant at, int rank, UUID id) {
  Cursor(Instant at, UUID id) {
    this(at, 0, id);
  }

  String encode() {
    String raw = at.getEpochSecond() + ":" + at.getNano() + ":" + rank + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static Cursor decode(String text) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      String[] parts = raw.split(":", 4);
      return new Cursor(
          Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
          Integer.parseInt(parts[2]),
          UUID.fromString(parts[3]));
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new InvalidInputException("cursor", "is not a cursor this API gave out");
    }
  }
}
