package dev.chime.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The definitions of schedules a node has claimed — trigger, target, payload and policy as stored —
 * by schedule id and {@code definition_version}, which every edit of a schedule raises. A claim
 * reads only the narrow columns of a due schedule (its index holds them all) and takes the
 * definition from here, fetching the rows of those it has not seen at that version. The least
 * recently claimed go first once the cache holds more than its limit of characters.
 */
final class Definitions {
  /** A schedule's definition at one version, its columns as stored. */
  record Definition(
      long version, String triggerJson, String targetJson, String payloadJson, String policyJson) {
    long chars() {
      return triggerJson.length()
          + targetJson.length()
          + payloadJson.length()
          + policyJson.length();
    }
  }

  private final long maxChars;
  private final LinkedHashMap<UUID, Definition> byId = new LinkedHashMap<>(1024, 0.75f, true);
  private long chars;

  Definitions(long maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be positive, got " + maxChars);
    }
    this.maxChars = maxChars;
  }

  /** The definition of {@code id} at {@code version}, if this cache holds that one. */
  synchronized Optional<Definition> get(UUID id, long version) {
    Definition held = byId.get(id);
    return held != null && held.version() == version ? Optional.of(held) : Optional.empty();
  }

  /**
   * Keeps {@code definition} for {@code id}, in place of any other version of it; one larger than
   * an eighth of the cache is not kept (it would push out many others at each claim of it), and is
   * read with its claim each time.
   */
  synchronized void put(UUID id, Definition definition) {
    if (definition.chars() > maxChars / 8) {
      Definition old = byId.remove(id);
      if (old != null) {
        chars -= old.chars();
      }
      return;
    }
    Definition old = byId.put(id, definition);
    if (old != null) {
      chars -= old.chars();
    }
    chars += definition.chars();
    var eldest = byId.entrySet().iterator();
    while (chars > maxChars && eldest.hasNext()) {
      Map.Entry<UUID, Definition> entry = eldest.next();
      chars -= entry.getValue().chars();
      eldest.remove();
    }
  }

  /** How many definitions the cache holds. */
  synchronized int size() {
    return byId.size();
  }
}
