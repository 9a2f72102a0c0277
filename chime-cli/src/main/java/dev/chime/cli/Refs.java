package dev.chime.cli;

import dev.chime.client.Chime;
import java.util.UUID;

/** A schedule named on the command line by its id or by its name. */
final class Refs {
  private Refs() {}

  static UUID schedule(Chime chime, String ref) {
    try {
      return UUID.fromString(ref);
    } catch (IllegalArgumentException notAnId) {
      return chime
          .findSchedule(ref)
          .orElseThrow(() -> new NoSuchThingException("no schedule is named '" + ref + "'"))
          .id();
    }
  }

  static UUID run(String ref) {
    try {
      return UUID.fromString(ref);
    } catch (IllegalArgumentException e) {
      throw new NoSuchThingException("'" + ref + "' is not a run id (a UUID)");
    }
  }
}
