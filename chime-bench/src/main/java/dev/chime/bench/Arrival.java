package dev.chime.bench;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One call that reached the load target, as the target saw it. It crosses from the target process
 * to the bench as one line of text, {@code received attempt run-id scheduled-at key}; a header the
 * call lacked is written as {@code -}.
 */
record Arrival(
    long receivedMillis, int attempt, String runId, String scheduledAt, String idempotencyKey) {
  static final String MISSING = "-";

  String toLine() {
    return receivedMillis + " " + attempt + " " + runId + " " + scheduledAt + " " + idempotencyKey;
  }

  static Arrival parse(String line) {
    String[] parts = line.split(" ", 5);
    if (parts.length != 5) {
      throw new IllegalArgumentException("not an arrival line: '" + line + "'");
    }
    return new Arrival(
        Long.parseLong(parts[0]), Integer.parseInt(parts[1]), parts[2], parts[3], parts[4]);
  }

  /** The instant the call stood for, when its {@code Chime-Scheduled-At} header was readable. */
  Optional<Instant> scheduledInstant() {
    try {
      return Optional.of(Instant.parse(scheduledAt));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
