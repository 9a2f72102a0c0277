package dev.chime.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing: a client address that sent {@code perMinute} bad tokens within a minute is
 * answered 429 until that minute is over. Kept in memory, per node; at most {@link #MAX_ADDRESSES}
 * addresses are followed (the quietest are forgotten first when more come).
 */
final class BadTokenThrottle {
  static final int MAX_ADDRESSES = 10_000;
  private static final Duration WINDOW = Duration.ofMinutes(1);

  private record Window(Instant start, int failures) {}

  private final Clock clock;
  private final int perMinute;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  BadTokenThrottle(Clock clock, int perMinute) {
    this.clock = clock;
    this.perMinute = perMinute;
  }

  /** How long the address must wait before its next token is looked at; empty when it need not. */
  Optional<Duration> wait(String address) {
    Window window = windows.get(address);
    Instant now = clock.instant();
    if (window == null || window.failures() < perMinute) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, window.start().plus(WINDOW));
    if (left.isNegative() || left.isZero()) {
      windows.remove(address, window);
      return Optional.empty();
    }
    return Optional.of(left);
  }

  void failed(String address) {
    Instant now = clock.instant();
    if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
      forgetOld(now);
    }
    windows.merge(
        address,
        new Window(now, 1),
        (old, one) ->
            old.start().plus(WINDOW).isAfter(now)
                ? new Window(old.start(), old.failures() + 1)
                : one);
  }

  private void forgetOld(Instant now) {
    for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
      Window window = it.next();
      if (!window.start().plus(WINDOW).isAfter(now) || window.failures() < perMinute) {
        it.remove();
      }
    }
  }
}
