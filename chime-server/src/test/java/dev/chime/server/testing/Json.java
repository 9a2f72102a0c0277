package dev.chime.server.testing;

/** Request bodies for tests, built from a few parts instead of copy-pasted JSON. */
public final class Json {
  private Json() {}

  public static String cron(String expr, String zone) {
    return "{\"type\":\"cron\",\"expr\":\"" + expr + "\",\"timezone\":\"" + zone + "\"}";
  }

  public static String interval(long seconds) {
    return "{\"type\":\"interval\",\"seconds\":" + seconds + "}";
  }

  public static String once(String at) {
    return "{\"type\":\"once\",\"at\":\"" + at + "\"}";
  }

  public static String target(String url) {
    return "{\"type\":\"http\",\"method\":\"POST\",\"url\":\"" + url + "\",\"timeout_ms\":5000}";
  }

  public static String schedule(String name, String trigger, String target) {
    return schedule(name, trigger, target, "{\"report\":\"daily\"}");
  }

  public static String schedule(String name, String trigger, String target, String payload) {
    return "{\"name\":\""
        + name
        + "\",\"description\":\"test\",\"trigger\":"
        + trigger
        + ",\"target\":"
        + target
        + ",\"payload\":"
        + payload
        + "}";
  }
}
