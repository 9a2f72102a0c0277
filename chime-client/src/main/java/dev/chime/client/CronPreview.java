package dev.chime.client;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * What a cron expression means and when it fires next.
 *
 * @param expr the expression, trimmed
 * @param timezone the zone it was read in
 * @param description the expression in English
 * @param fires the next fire times, in order
 */
public record CronPreview(String expr, String timezone, String description, List<Fire> fires) {
  /** Checks the parts and copies the fires. */
  public CronPreview {
    Objects.requireNonNull(expr, "expr");
    Objects.requireNonNull(timezone, "timezone");
    Objects.requireNonNull(description, "description");
    fires = List.copyOf(fires);
  }

  /**
   * One fire time.
   *
   * @param utc the instant
   * @param local the same instant as a local time with the zone's offset
   */
  public record Fire(Instant utc, OffsetDateTime local) {
    /** Checks that both parts are given. */
    public Fire {
      Objects.requireNonNull(utc, "utc");
      Objects.requireNonNull(local, "local");
    }
  }
}
