package dev.chime.alert;

import java.util.Locale;
import java.util.Optional;

/** Where a channel sends: a generic JSON webhook, a Slack incoming webhook, or e-mail (SMTP). */
public enum ChannelKind {
  WEBHOOK,
  SLACK,
  EMAIL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ChannelKind> fromWire(String text) {
    for (ChannelKind kind : values()) {
      if (kind.wireName().equals(text)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
