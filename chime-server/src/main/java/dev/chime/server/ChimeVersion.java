package dev.chime.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of Chime this node runs, written into the build (version.properties). */
public final class ChimeVersion {
  private static final String UNKNOWN = "unknown";
  private static final String VERSION = read();

  private ChimeVersion() {}

  /** The project's version, such as {@code 0.1.0}; {@code unknown} when the build left none. */
  public static String current() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = ChimeVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return UNKNOWN;
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", UNKNOWN).trim();
      return version.isEmpty() || version.startsWith("${") ? UNKNOWN : version;
    } catch (IOException e) {
      return UNKNOWN;
    }
  }
}
