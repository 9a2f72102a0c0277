package dev.chime.audit;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Who made a change: an API token (its id and name), or Chime itself. */
public record Actor(Optional<UUID> tokenId, String name) {
  /** Changes Chime makes on its own, and writes from code that has no caller. */
  public static final Actor CHIME = new Actor(Optional.empty(), "chime");

  /** Every caller when authentication is switched off. */
  public static final Actor ANONYMOUS = new Actor(Optional.empty(), "anonymous (auth off)");

  public Actor {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(name, "name");
  }

  public static Actor token(UUID id, String name) {
    return new Actor(Optional.of(id), name);
  }
}
