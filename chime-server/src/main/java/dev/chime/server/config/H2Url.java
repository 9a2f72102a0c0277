package dev.chime.server.config;

import java.util.Locale;

/**
 * The H2 settings Chime adds to an H2 JDBC URL so that a write is on disk when it is acknowledged.
 *
 * <p>H2's MVStore keeps committed changes in memory and writes them to the file from a background
 * thread, up to {@code WRITE_DELAY} (default 500 ms) later; a process killed in that window loses
 * transactions it had already committed. With {@code WRITE_DELAY=0} every commit writes its chunk
 * to the file before the commit returns. It does not fsync: the write sits in the operating
 * system's page cache, which outlives the process (kill -9, a crash of the JVM) but not a power
 * loss or a kernel crash.
 */
final class H2Url {
  static final String WRITE_DELAY = "WRITE_DELAY";

  private H2Url() {}

  /**
   * {@code url} with {@code ;WRITE_DELAY=0} added, unless it is an in-memory database (nothing to
   * write) or the URL sets {@code WRITE_DELAY} itself (the operator's choice stands).
   */
  static String durable(String url) {
    String rest = url.substring("jdbc:h2:".length());
    if (rest.startsWith("mem:") || setsWriteDelay(rest)) {
      return url;
    }
    return url + (url.endsWith(";") ? "" : ";") + WRITE_DELAY + "=0";
  }

  private static boolean setsWriteDelay(String rest) {
    String[] parts = rest.split(";");
    for (int i = 1; i < parts.length; i++) {
      int equals = parts[i].indexOf('=');
      String key = (equals < 0 ? parts[i] : parts[i].substring(0, equals)).strip();
      if (key.toUpperCase(Locale.ROOT).equals(WRITE_DELAY)) {
        return true;
      }
    }
    return false;
  }
}
