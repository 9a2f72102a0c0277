package dev.chime.dispatch;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a {@code Retry-After} header: a number of seconds, or an HTTP date (RFC 9110). Whatever
 * else a target sends there is ignored, never thrown.
 */
public final class RetryAfter {
  /** Over 300 years: more than any retry policy's cap, which bounds the wait anyway. */
  private static final long MAX_SECONDS = 9_999_999_999L;

  /** An impossible date such as 31 Feb is unreadable, not moved to a real one. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withResolverStyle(ResolverStyle.STRICT);

  private static final Pattern SECONDS = Pattern.compile("[0-9]+");

  /** Optional whitespace around a field value is spaces and tabs, nothing else. */
  private static final Pattern OWS = Pattern.compile("^[ \\t]+|[ \\t]+$");

  private RetryAfter() {}

  /** The wait the header asks for, measured from {@code now}; empty when absent or unreadable. */
  public static Optional<Duration> parse(Optional<String> header, Instant now) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = OWS.matcher(header.get()).replaceAll("");
    if (SECONDS.matcher(value).matches()) {
      // more digits than a long holds still means "not for a very long time"
      long seconds = value.length() > 10 ? MAX_SECONDS : Long.parseLong(value);
      return Optional.of(Duration.ofSeconds(Math.min(seconds, MAX_SECONDS)));
    }
    try {
      Instant at = ZonedDateTime.parse(value, HTTP_DATE).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
