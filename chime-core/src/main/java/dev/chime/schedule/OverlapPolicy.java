package dev.chime.schedule;

import java.util.Locale;

/** What a fire does when its schedule already has {@code max_concurrency} runs in flight. */
public enum OverlapPolicy {
  /** The new instant is recorded as a skipped run ({@code error_code: "overlap"}), not fired. */
  SKIP,
  /** The new instant waits as a queued run, at most one at a time; a further one is skipped. */
  QUEUE_ONE,
  /** The new instant fires anyway: no limit. */
  ALLOW,
  /** The runs in flight are cancelled and the new instant fires. */
  CANCEL_RUNNING;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static OverlapPolicy fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
