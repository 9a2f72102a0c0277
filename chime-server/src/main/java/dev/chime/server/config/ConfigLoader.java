package dev.chime.server.config;

import dev.chime.dispatch.AddressPolicy;
import dev.chime.dispatch.Cidr;
import dev.chime.engine.Engine;
import dev.chime.tenant.Quotas;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Builds the {@link ChimeConfig}: defaults, then a properties file (named by {@code --config} or
 * {@code CHIME_CONFIG}), then environment variables. A setting {@code db.url} in the file is {@code
 * CHIME_DB_URL} in the environment. Every problem is collected and reported at once.
 *
 * <p>Without {@code node.id} it reads the node id kept in the data folder, making and writing it
 * there at the first start ({@link NodeIdFile}): the one thing loading the configuration writes.
 */
public final class ConfigLoader {
  /** Setting name, default value (empty for "derived"), and what it means; the README's table. */
  public record Setting(String key, String defaultValue, String meaning) {
    public String envName() {
      return "CHIME_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }
  }

  /**
   * CHIME_* variables that are not settings of the server but are read beside it: the config file's
   * name, the launchers' JVM options and class-data archive, and the chime command's server and
   * token (a shell that uses the command may start a node too).
   */
  private static final Set<String> NOT_SETTINGS =
      Set.of(
          "CHIME_CONFIG",
          "CHIME_JAVA_OPTS",
          "CHIME_CLASS_ARCHIVE",
          "CHIME_CLI_JAVA_OPTS",
          "CHIME_URL",
          "CHIME_TOKEN");

  public static final List<Setting> SETTINGS =
      List.of(
          new Setting("host", "0.0.0.0", "address the HTTP server binds to"),
          new Setting("port", "8080", "HTTP port"),
          new Setting(
              "data.dir", "./data", "folder of the embedded H2 database and of the node id file"),
          new Setting(
              "db.url",
              "",
              "JDBC URL; default jdbc:h2:file:<data.dir>/chime; jdbc:postgresql: and jdbc:mariadb: for clusters"),
          new Setting("db.user", "", "database user; default sa for H2, else empty"),
          new Setting("db.password", "", "database password (logged masked)"),
          new Setting("db.pool.size", "10", "database connections, at least 2"),
          new Setting(
              "db.pool.timeout.ms",
              "1000",
              "how long a request or the engine waits for a database connection; then 503"),
          new Setting(
              "db.vacuum",
              "auto",
              "PostgreSQL: auto vacuums Chime's busiest tables when the server's autovacuum is"
                  + " off; on always; off never"),
          new Setting(
              "node.id",
              "",
              "this node's name in leases; default <host>-<random>, made once and kept in <data.dir>/node-id"),
          new Setting("engine.poll.ms", "500", "how often the engine looks for due work"),
          new Setting("engine.lookahead.ms", "2000", "how far ahead it claims due work"),
          new Setting("engine.lease.ms", "30000", "how long a claim lasts beyond the lookahead"),
          new Setting(
              "node.heartbeat.ms",
              "5000",
              "how often a node writes its heartbeat to the nodes table; two missed make it suspect"),
          new Setting("engine.batch.size", "250", "most schedules one claim takes"),
          new Setting(
              "engine.prestart.ms",
              "500",
              "how long before its instant a fire is marked started; closer edits apply from the"
                  + " next fire"),
          new Setting(
              "engine.result.linger.ms", "50", "how long run results wait to share a write"),
          new Setting(
              "engine.calls.per.host", "64", "calls one node makes to one target host at once"),
          new Setting("shutdown.grace.s", "30", "how long in-flight calls may finish on stop"),
          new Setting(
              "quota.max.enabled.schedules",
              "1000",
              "schedules one tenant may have enabled, unless the tenant has its own limit"),
          new Setting(
              "quota.min.interval.s",
              "10",
              "shortest time between two fires of one schedule (interval or cron), unless the"
                  + " tenant has its own limit"),
          new Setting(
              "quota.max.running",
              "50",
              "runs one tenant may have in flight at once (more wait), unless the tenant has its"
                  + " own limit"),
          new Setting(
              "quota.max.payload.bytes",
              "65536",
              "largest payload a schedule may carry, unless the tenant has its own limit"),
          new Setting(
              "response.excerpt.bytes", "4096", "how much of a target's answer a run keeps"),
          new Setting("http.connect.timeout.ms", "5000", "connect timeout for calls to targets"),
          new Setting(
              "http.client",
              "jetty",
              "HTTP client for calls to targets: jetty, or jdk (java.net.http)"),
          new Setting(
              "auth",
              "on",
              "on: every API call needs a token (Authorization: Bearer); off: a single-user"
                  + " development mode without tokens"),
          new Setting(
              "admin.token",
              "",
              "the admin token of the default tenant (at least 32 characters); default: made at"
                  + " the first start and written to <data.dir>/admin-token"),
          new Setting(
              "auth.failures.per.minute",
              "20",
              "bad tokens one client address may send per minute before it is answered 429"),
          new Setting(
              "http.trusted.proxies",
              "",
              "address blocks (comma-separated CIDRs) of load balancers whose X-Forwarded-For"
                  + " names the client; default none (the peer's address is the client's)"),
          new Setting(
              "log.format",
              "plain",
              "plain: lines for people; json: one JSON object per line, for log collectors"),
          new Setting(
              "log.runs",
              "on",
              "on: one INFO line per ended run (logger chime.runs); off: none, for a node that"
                  + " fires thousands a second (runs stay on record and in the metrics)"),
          new Setting(
              "metrics.auth",
              "token",
              "token: /metrics needs a token with metrics:read (or admin); open: anyone who reaches"
                  + " the port may scrape it"),
          new Setting(
              "secrets.key",
              "",
              "base64 of 32 random bytes that seal secret headers, signing secrets and alert channels'"
                  + " credentials at rest;"
                  + " default made once and kept in <data.dir>/secrets-key (mode 600); every node"
                  + " of a cluster needs the same one"),
          new Setting(
              "signing.rotation.grace.s",
              "86400",
              "how long a signing secret signs on beside the new one after a rotation"),
          new Setting(
              "target.loopback",
              "allow",
              "allow or refuse calls to loopback addresses (127.0.0.0/8, ::1, 0.0.0.0)"),
          new Setting(
              "target.private",
              "allow",
              "allow or refuse calls to private addresses (10/8, 172.16/12, 192.168/16,"
                  + " 100.64/10, fc00::/7)"),
          new Setting(
              "target.allowed.networks",
              "",
              "address blocks (comma-separated CIDRs) called even where target.loopback or"
                  + " target.private refuse; link-local and metadata addresses never are"),
          new Setting(
              "health.engine.stall.s",
              "",
              "/health/ready fails once the engine loop has not gone round for this long; default"
                  + " 10 × engine.poll.ms, at least 10 s; more than two polls"),
          new Setting(
              "alerts.poll.ms",
              "5000",
              "how often each node judges the alert rules and sends the alerts due"),
          new Setting(
              "http.cors.origins",
              "",
              "web origins (https://host[:port], comma-separated) whose pages may call the API;"
                  + " default none"),
          new Setting(
              "public.url",
              "",
              "base URL targets reach this node on, for async callbacks; default http://localhost:<port>"),
          new Setting(
              "engine.catchup.per.second",
              "500",
              "late fires (catching up after downtime) sent per second; each schedule catches up"
                  + " one fire at a time"),
          new Setting("retention.max.age.days", "30", "finished runs older than this are deleted"),
          new Setting(
              "retention.max.runs.per.schedule",
              "1000",
              "finished runs kept per schedule, newest first"));

  private ConfigLoader() {}

  /** Loads from the process's environment and the given arguments ({@code --config <file>}). */
  public static ChimeConfig load(String[] args, Map<String, String> env) {
    Optional<Path> file = Optional.empty();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Optional.of(Path.of(args[++i]));
      } else if (args[i].startsWith("--config=")) {
        file = Optional.of(Path.of(args[i].substring("--config=".length())));
      } else {
        throw new ConfigException(
            "unknown argument '" + args[i] + "'; the only argument is --config <file>");
      }
    }
    if (file.isEmpty() && env.containsKey("CHIME_CONFIG")) {
      file = Optional.of(Path.of(env.get("CHIME_CONFIG")));
    }
    return load(file, env);
  }

  public static ChimeConfig load(Optional<Path> file, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (Setting setting : SETTINGS) {
      values.put(setting.key(), setting.defaultValue());
      sources.put(setting.key(), "default");
    }
    List<String> problems = new ArrayList<>();
    if (file.isPresent()) {
      readFile(file.get(), values, sources, problems);
    }
    for (Setting setting : SETTINGS) {
      String value = env.get(setting.envName());
      if (value != null) {
        values.put(setting.key(), value.trim());
        sources.put(setting.key(), setting.envName());
      }
    }
    for (String name : env.keySet()) {
      if (name.startsWith("CHIME_")
          && !NOT_SETTINGS.contains(name)
          && SETTINGS.stream().noneMatch(s -> s.envName().equals(name))) {
        problems.add(name + " is not a Chime setting (see the configuration table in README.md)");
      }
    }
    Values reader = new Values(values, sources, problems);
    Path dataDir = Path.of(values.get("data.dir"));
    String dbUrl = values.get("db.url");
    if (dbUrl.isEmpty()) {
      dbUrl =
          "jdbc:h2:file:"
              + dataDir.toAbsolutePath().normalize().resolve("chime")
              + ";DB_CLOSE_ON_EXIT=FALSE";
    } else if (!dbUrl.startsWith("jdbc:h2:")
        && !dbUrl.startsWith("jdbc:postgresql:")
        && !dbUrl.startsWith("jdbc:mariadb:")
        && !dbUrl.startsWith("jdbc:mysql:")) {
      problems.add(
          "db.url (from "
              + sources.get("db.url")
              + ") must start with jdbc:h2:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:");
    }
    String dbUser = values.get("db.user");
    if (dbUser.isEmpty() && dbUrl.startsWith("jdbc:h2:")) {
      dbUser = "sa";
    }
    String nodeId = values.get("node.id");
    boolean nodeIdKept = nodeId.isEmpty();
    if (nodeIdKept) {
      Path idFile = dataDir.resolve(NodeIdFile.NAME);
      try {
        nodeId = NodeIdFile.readOrCreate(idFile, () -> NodeIdFile.generate(hostName()));
      } catch (IOException e) {
        problems.add(
            "node.id is not set and cannot be kept in "
                + idFile
                + ": "
                + e.getMessage()
                + "; set CHIME_NODE_ID or CHIME_DATA_DIR");
      }
    } else if (nodeId.length() > NodeIdFile.MAX_LENGTH) {
      problems.add(
          "node.id (from "
              + sources.get("node.id")
              + ") must be at most "
              + NodeIdFile.MAX_LENGTH
              + " characters");
    }
    int port = reader.integer("port", 0, 65535);
    String publicUrl = values.get("public.url");
    if (publicUrl.isEmpty()) {
      publicUrl = "http://localhost:" + port;
    } else if (!publicUrl.matches("https?://[^\\s/]+(/\\S*)?")) {
      problems.add(
          "public.url (from "
              + sources.get("public.url")
              + ") must be an http(s) URL, got '"
              + publicUrl
              + "'");
    }
    Duration poll = Duration.ofMillis(reader.integer("engine.poll.ms", 10, 60_000));
    ChimeConfig config =
        new ChimeConfig(
            values.get("host"),
            port,
            dataDir,
            dbUrl,
            dbUser,
            values.get("db.password"),
            reader.integer("db.pool.size", 2, 500),
            Duration.ofMillis(reader.integer("db.pool.timeout.ms", 250, 60_000)),
            nodeId,
            nodeIdKept,
            poll,
            Duration.ofMillis(reader.integer("engine.lookahead.ms", 100, 60_000)),
            Duration.ofMillis(reader.integer("engine.lease.ms", 1_000, 3_600_000)),
            Duration.ofMillis(reader.integer("node.heartbeat.ms", 100, 600_000)),
            reader.integer("engine.batch.size", 1, 10_000),
            Duration.ofSeconds(reader.integer("shutdown.grace.s", 0, 3_600)),
            Duration.ofSeconds(
                reader.integer("quota.min.interval.s", 1, Quotas.MIN_INTERVAL_S_LIMIT)),
            reader.integer("quota.max.payload.bytes", 2, Quotas.MAX_PAYLOAD_BYTES_LIMIT),
            reader.integer("response.excerpt.bytes", 0, 1024 * 1024),
            Duration.ofMillis(reader.integer("http.connect.timeout.ms", 100, 600_000)),
            publicUrl,
            reader.integer("engine.catchup.per.second", 1, 100_000),
            reader.integer("quota.max.running", 1, Quotas.MAX_RUNNING_LIMIT),
            Duration.ofDays(reader.integer("retention.max.age.days", 1, 36_500)),
            reader.integer("retention.max.runs.per.schedule", 1, 10_000_000),
            Duration.ofMillis(reader.integer("engine.prestart.ms", 0, 60_000)),
            Duration.ofMillis(reader.integer("engine.result.linger.ms", 0, 1_000)),
            reader.integer("engine.calls.per.host", 1, 100_000),
            values.get("http.client"),
            secretsKey(values.get("secrets.key"), sources.get("secrets.key"), problems),
            Duration.ofSeconds(reader.integer("signing.rotation.grace.s", 0, 30 * 86_400)),
            new AddressPolicy(
                reader.allowOrRefuse("target.loopback"),
                reader.allowOrRefuse("target.private"),
                networks(
                    "target.allowed.networks",
                    values.get("target.allowed.networks"),
                    sources.get("target.allowed.networks"),
                    problems)),
            values.get("db.vacuum"),
            corsOrigins(
                values.get("http.cors.origins"), sources.get("http.cors.origins"), problems),
            reader.onOff("auth"),
            adminToken(values.get("admin.token"), sources.get("admin.token"), problems),
            reader.integer("quota.max.enabled.schedules", 0, Quotas.MAX_ENABLED_SCHEDULES_LIMIT),
            reader.integer("auth.failures.per.minute", 1, 1_000_000),
            networks(
                "http.trusted.proxies",
                values.get("http.trusted.proxies"),
                sources.get("http.trusted.proxies"),
                problems),
            reader.oneOf("metrics.auth", "token", "open").equals("open"),
            reader.oneOf("log.format", "plain", "json"),
            reader.onOff("log.runs"),
            Duration.ofMillis(reader.integer("alerts.poll.ms", 10, 600_000)),
            engineStall(reader, poll, values.get("health.engine.stall.s"), problems),
            otel(env));
    if (!List.of("auto", "on", "off").contains(config.dbVacuum())) {
      problems.add(
          "db.vacuum (from "
              + sources.get("db.vacuum")
              + ") must be auto, on or off, got '"
              + config.dbVacuum()
              + "'");
    }
    if (!config.httpClient().equals("jetty") && !config.httpClient().equals("jdk")) {
      problems.add(
          "http.client (from "
              + sources.get("http.client")
              + ") must be jetty or jdk, got '"
              + config.httpClient()
              + "'");
    }
    if (config.prestart().compareTo(config.lookahead()) > 0) {
      problems.add(
          "engine.prestart.ms ("
              + config.prestart().toMillis()
              + ") must not be longer than engine.lookahead.ms ("
              + config.lookahead().toMillis()
              + ")");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(
          "Chime's configuration has "
              + problems.size()
              + " problem(s):\n  - "
              + String.join("\n  - ", problems));
    }
    return config;
  }

  /** The environment's {@code OTEL_*} variables, for the OpenTelemetry SDK to read. */
  private static Map<String, String> otel(Map<String, String> env) {
    Map<String, String> otel = new LinkedHashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            otel.put(name, value);
          }
        });
    return otel;
  }

  /**
   * How long the engine loop may go without a turn before the node is unready. An idle loop waits a
   * poll between turns, so less than two polls would make a healthy node look stalled.
   */
  private static Duration engineStall(
      Values reader, Duration poll, String text, List<String> problems) {
    if (text.isEmpty()) {
      return Engine.defaultStallAfter(poll);
    }
    Duration stall = Duration.ofSeconds(reader.integer("health.engine.stall.s", 1, 86_400));
    if (stall.compareTo(poll.multipliedBy(2)) <= 0) {
      problems.add(
          "health.engine.stall.s ("
              + stall.toSeconds()
              + ") must be more than two engine polls (engine.poll.ms "
              + poll.toMillis()
              + ")");
    }
    return stall;
  }

  /**
   * The origins of {@code http.cors.origins}, as a browser sends them in {@code Origin}: scheme,
   * host and a port other than the scheme's own, lower case, no path. {@code *} is not taken: an
   * API that changes things is opened to named pages only.
   */
  private static List<String> corsOrigins(String text, String source, List<String> problems) {
    List<String> origins = new ArrayList<>();
    for (String item : text.split(",")) {
      String origin = item.trim().toLowerCase(Locale.ROOT);
      if (origin.isEmpty()) {
        continue;
      }
      if (!origin.matches("https?://[a-z0-9.\\-]+|https?://\\[[0-9a-f:.]+\\]")
          && !origin.matches("https?://([a-z0-9.\\-]+|\\[[0-9a-f:.]+\\]):[0-9]{1,5}")) {
        problems.add(
            "http.cors.origins (from "
                + source
                + ") lists '"
                + item.trim()
                + "', which is not an origin such as https://app.example.com or"
                + " http://localhost:3000 (scheme, host and port only; * is not accepted)");
        continue;
      }
      origins.add(
          origin.replaceFirst("^(https://.*):443$", "$1").replaceFirst("^(http://.*):80$", "$1"));
    }
    return origins;
  }

  /**
   * An admin token an operator chose: long enough to be hard to guess and free of what an {@code
   * Authorization} header cannot carry. Its value never appears in a message.
   */
  private static String adminToken(String token, String source, List<String> problems) {
    if (!token.isEmpty() && (token.length() < 32 || !token.matches("[\\x21-\\x7e]+"))) {
      problems.add(
          "admin.token (from "
              + source
              + ") must be at least 32 characters, printable ASCII without spaces (got "
              + token.length()
              + " characters)");
    }
    return token;
  }

  /** The key of {@code secrets.key}, or empty for the one kept in the data folder. */
  private static Optional<SecretsKey> secretsKey(
      String text, String source, List<String> problems) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SecretsKey.parse(text));
    } catch (IllegalArgumentException e) {
      // the reason only: the value is a secret, and never repeated
      problems.add(
          "secrets.key (from "
              + source
              + ") "
              + e.getMessage()
              + "; make one with: openssl rand -base64 32");
      return Optional.empty();
    }
  }

  private static List<Cidr> networks(
      String setting, String text, String source, List<String> problems) {
    List<Cidr> networks = new ArrayList<>();
    for (String item : text.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      Optional<Cidr> network = Cidr.parse(item.trim());
      if (network.isEmpty()) {
        problems.add(
            setting
                + " (from "
                + source
                + ") lists '"
                + item.trim()
                + "', which is not an address block such as 10.1.0.0/16 or fd12:3456::/48");
      } else {
        networks.add(network.get());
      }
    }
    return networks;
  }

  private static void readFile(
      Path file, Map<String, String> values, Map<String, String> sources, List<String> problems) {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      problems.add("cannot read the configuration file " + file + ": " + e.getMessage());
      return;
    }
    for (String key : properties.stringPropertyNames()) {
      if (!values.containsKey(key)) {
        problems.add(key + " in " + file + " is not a Chime setting");
        continue;
      }
      values.put(key, properties.getProperty(key).trim());
      sources.put(key, file.toString());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "chime";
    }
  }

  private record Values(
      Map<String, String> values, Map<String, String> sources, List<String> problems) {
    String oneOf(String key, String... allowed) {
      String text = values.get(key).toLowerCase(Locale.ROOT);
      if (!List.of(allowed).contains(text)) {
        problems.add(
            key
                + " (from "
                + sources.get(key)
                + ") must be "
                + String.join(" or ", allowed)
                + ", got '"
                + text
                + "'");
      }
      return text;
    }

    /** A setting that is {@code allow} (true) or {@code refuse} (false). */
    boolean allowOrRefuse(String key) {
      return oneOf(key, "allow", "refuse").equals("allow");
    }

    boolean onOff(String key) {
      String text = values.get(key).toLowerCase(Locale.ROOT);
      if (!text.equals("on") && !text.equals("off")) {
        problems.add(
            key + " (from " + sources.get(key) + ") must be on or off, got '" + text + "'");
      }
      return !text.equals("off");
    }

    int integer(String key, int min, int max) {
      String text = values.get(key);
      try {
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
          problems.add(
              key
                  + " (from "
                  + sources.get(key)
                  + ") must be between "
                  + min
                  + " and "
                  + max
                  + ", got "
                  + value);
          return min;
        }
        return value;
      } catch (NumberFormatException e) {
        problems.add(
            key + " (from " + sources.get(key) + ") must be a whole number, got '" + text + "'");
        return min;
      }
    }
  }
}
