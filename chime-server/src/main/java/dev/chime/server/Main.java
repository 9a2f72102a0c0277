package dev.chime.server;

import dev.chime.server.config.ChimeConfig;
import dev.chime.server.config.ConfigException;
import dev.chime.server.config.ConfigLoader;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a Chime node: {@code java -jar chime-server.jar [--config chime.properties]}. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    ChimeConfig config;
    try {
      config = ConfigLoader.load(args, System.getenv());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    LogFormat.apply(config.logFormat());
    LogFormat.runs(config.logRuns());
    StringBuilder settings = new StringBuilder();
    for (Map.Entry<String, String> entry : config.describe().entrySet()) {
      settings.append("\n  ").append(entry.getKey()).append(" = ").append(entry.getValue());
    }
    log.info("Chime starting with:{}", settings);
    ChimeNode node;
    try {
      node = ChimeNode.start(config, Clock.systemUTC());
    } catch (RuntimeException e) {
      log.error("Chime could not start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "chime-shutdown"));
    long startupMs = ManagementFactory.getRuntimeMXBean().getUptime();
    log.info(
        "Chime is ready on http://{}:{}/ (node {}, started in {} ms)",
        config.host().equals("0.0.0.0") ? "localhost" : config.host(),
        node.port(),
        config.nodeId(),
        startupMs);
  }
}
