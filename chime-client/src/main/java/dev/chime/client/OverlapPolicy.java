package dev.chime.client;

import java.util.Locale;

/** What a new instant does while a schedule already has {@code max_concurrency} runs in flight. */
public enum OverlapPolicy {
  /** The new instant is recorded as a skipped run (the default). */
  SKIP,
  /** One instant waits for a free slot; more are skipped. */
  QUEUE_ONE,
  /** It starts anyway. */
  ALLOW,
  /** The oldest run in flight is cancelled and the new one starts. */
  CANCEL_RUNNING;

  /** The name on the wire, such as {@code queue_one}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy a wire name stands for. */
  public static OverlapPolicy fromWire(String name) {
    for (OverlapPolicy policy : values()) {
      if (policy.wireName().equals(name)) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "unknown overlap policy '" + name + "'; one of skip, queue_one, allow, cancel_running");
  }
}
