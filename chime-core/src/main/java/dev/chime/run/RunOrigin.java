package dev.chime.run;

import java.util.Locale;

/** Why a run exists: its schedule came due, or someone asked for it. */
public enum RunOrigin {
  SCHEDULE,
  MANUAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunOrigin fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
