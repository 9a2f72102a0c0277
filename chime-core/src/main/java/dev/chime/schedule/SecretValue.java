package dev.chime.schedule;

import java.util.Objects;

/**
 * The value of a target header marked secret. The API takes it {@link Given} (or {@link Kept}: the
 * mask sent back, meaning "leave the stored value as it is"); the database, the engine and every
 * copy in memory hold it {@link Sealed}; only the call that sends it opens it.
 */
public sealed interface SecretValue {
  /** What the API shows instead of a secret, and what a client sends back to keep it. */
  String MASK = "****";

  /** A new value from the API, not yet sealed: never stored, never shown. */
  record Given(String text) implements SecretValue {
    public Given {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return "Given[" + MASK + "]";
    }
  }

  /** The mask sent back by a client: keep the value the schedule has now. */
  record Kept() implements SecretValue {}

  /** The value sealed by a {@link dev.chime.secret.SecretBox}, as the database keeps it. */
  record Sealed(String sealed) implements SecretValue {
    public Sealed {
      Objects.requireNonNull(sealed, "sealed");
    }
  }
}
