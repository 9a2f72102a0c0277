package dev.chime.alert;

import java.util.Locale;
import java.util.Optional;

/**
 * What an alert rule watches. {@code threshold} means: for {@link #FAILURES} the failed runs in a
 * row that open an incident; for {@link #RECOVERED} the same, but only the recovery is told; for
 * {@link #STUCK} the seconds a run may stay running past its deadline; {@link #RESULT} tells every
 * run's result and has none; {@link #STALLED} the seconds a node of the cluster may go without a
 * heartbeat (the operator's: it watches the installation, not a schedule); {@link #LATE} the
 * milliseconds a schedule's fires may go out after their instants, when every fire of a while (its
 * {@code for_s}) was later than that; {@link #DRIFT} the instants of a schedule's trigger that may
 * go unsent in its {@code window_s} before it counts as drifting.
 */
public enum RuleKind {
  FAILURES,
  RECOVERED,
  STUCK,
  RESULT,
  STALLED,
  LATE,
  DRIFT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<RuleKind> fromWire(String text) {
    for (RuleKind kind : values()) {
      if (kind.wireName().equals(text)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /** Whether the rule judges a schedule's failure streak. */
  public boolean watchesStreak() {
    return this == FAILURES || this == RECOVERED;
  }
}
