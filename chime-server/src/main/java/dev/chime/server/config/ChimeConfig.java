package dev.chime.server.config;

import dev.chime.dispatch.AddressPolicy;
import dev.chime.dispatch.Cidr;
import dev.chime.tenant.Quotas;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every setting of a Chime node, validated once at start. Built by {@link ConfigLoader} from
 * defaults, an optional properties file and {@code CHIME_*} environment variables.
 *
 * <p>{@code otel} holds the standard {@code OTEL_*} variables of the environment, which configure
 * the optional OpenTelemetry export as the SDK documents them.
 *
 * <p>{@code nodeIdKept} tells whether {@code nodeId} was generated once and kept in {@link
 * #nodeIdFile()} (then the node locks that file while it runs) or was set by {@code node.id}.
 */
public record ChimeConfig(
    String host,
    int port,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    Duration dbPoolTimeout,
    String nodeId,
    boolean nodeIdKept,
    Duration poll,
    Duration lookahead,
    Duration lease,
    Duration heartbeat,
    int batchSize,
    Duration shutdownGrace,
    Duration minInterval,
    int maxPayloadBytes,
    int responseExcerptBytes,
    Duration connectTimeout,
    String publicUrl,
    int catchupPerSecond,
    int tenantMaxRunning,
    Duration retentionMaxAge,
    int retentionMaxRunsPerSchedule,
    Duration prestart,
    Duration resultLinger,
    int callsPerHost,
    String httpClient,
    Optional<SecretsKey> secretsKey,
    Duration signingGrace,
    AddressPolicy targetPolicy,
    String dbVacuum,
    List<String> corsOrigins,
    boolean auth,
    String adminToken,
    int maxEnabledSchedules,
    int authFailuresPerMinute,
    List<Cidr> trustedProxies,
    boolean metricsOpen,
    String logFormat,
    boolean logRuns,
    Duration alertsPoll,
    Duration engineStall,
    Map<String, String> otel) {
  public ChimeConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(dbUrl, "dbUrl");
    Objects.requireNonNull(dbUser, "dbUser");
    Objects.requireNonNull(dbPassword, "dbPassword");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(publicUrl, "publicUrl");
    Objects.requireNonNull(dbVacuum, "dbVacuum");
    corsOrigins = List.copyOf(corsOrigins);
    trustedProxies = List.copyOf(trustedProxies);
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(secretsKey, "secretsKey");
    Objects.requireNonNull(signingGrace, "signingGrace");
    Objects.requireNonNull(targetPolicy, "targetPolicy");
    Objects.requireNonNull(alertsPoll, "alertsPoll");
    Objects.requireNonNull(engineStall, "engineStall");
    otel = Map.copyOf(otel);
  }

  /** Where a generated secrets key is kept: {@code <data.dir>/secrets-key}. */
  public Path secretsKeyFile() {
    return dataDir.resolve(SecretsKeyFile.NAME);
  }

  /** The limits every tenant has unless it has its own. */
  public Quotas quotas() {
    return new Quotas(maxEnabledSchedules, minInterval, tenantMaxRunning, maxPayloadBytes);
  }

  /** Where the first admin token is written: {@code <data.dir>/admin-token}. */
  public Path adminTokenFile() {
    return dataDir.resolve("admin-token");
  }

  /** Where a generated node id is kept: {@code <data.dir>/node-id}. */
  public Path nodeIdFile() {
    return dataDir.resolve(NodeIdFile.NAME);
  }

  /** The settings as they are logged at start: the password masked. */
  public Map<String, String> describe() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("host", host);
    values.put("port", Integer.toString(port));
    values.put("data.dir", dataDir.toString());
    values.put("db.url", dbUrl);
    values.put("db.user", dbUser);
    values.put("db.password", dbPassword.isEmpty() ? "(empty)" : "****");
    values.put("db.pool.size", Integer.toString(dbPoolSize));
    values.put("db.pool.timeout.ms", Long.toString(dbPoolTimeout.toMillis()));
    values.put(
        "node.id",
        nodeIdKept
            ? nodeId + " (kept in " + nodeIdFile().toAbsolutePath().normalize() + ")"
            : nodeId);
    values.put("engine.poll.ms", Long.toString(poll.toMillis()));
    values.put("engine.lookahead.ms", Long.toString(lookahead.toMillis()));
    values.put("engine.lease.ms", Long.toString(lease.toMillis()));
    values.put("node.heartbeat.ms", Long.toString(heartbeat.toMillis()));
    values.put("engine.batch.size", Integer.toString(batchSize));
    values.put("shutdown.grace.s", Long.toString(shutdownGrace.toSeconds()));
    values.put("quota.max.enabled.schedules", Integer.toString(maxEnabledSchedules));
    values.put("quota.min.interval.s", Long.toString(minInterval.toSeconds()));
    values.put("quota.max.running", Integer.toString(tenantMaxRunning));
    values.put("quota.max.payload.bytes", Integer.toString(maxPayloadBytes));
    values.put("response.excerpt.bytes", Integer.toString(responseExcerptBytes));
    values.put("http.connect.timeout.ms", Long.toString(connectTimeout.toMillis()));
    values.put("public.url", publicUrl);
    values.put("engine.catchup.per.second", Integer.toString(catchupPerSecond));
    values.put("retention.max.age.days", Long.toString(retentionMaxAge.toDays()));
    values.put("retention.max.runs.per.schedule", Integer.toString(retentionMaxRunsPerSchedule));
    values.put("engine.prestart.ms", Long.toString(prestart.toMillis()));
    values.put("engine.result.linger.ms", Long.toString(resultLinger.toMillis()));
    values.put("engine.calls.per.host", Integer.toString(callsPerHost));
    values.put("http.client", httpClient);
    values.put(
        "secrets.key",
        secretsKey.isPresent()
            ? "**** (set)"
            : "(kept in " + secretsKeyFile().toAbsolutePath().normalize() + ")");
    values.put("signing.rotation.grace.s", Long.toString(signingGrace.toSeconds()));
    values.put("target.loopback", targetPolicy.allowLoopback() ? "allow" : "refuse");
    values.put("target.private", targetPolicy.allowPrivate() ? "allow" : "refuse");
    values.put(
        "target.allowed.networks",
        targetPolicy.allowedNetworks().isEmpty()
            ? "(none)"
            : String.join(
                ",", targetPolicy.allowedNetworks().stream().map(Object::toString).toList()));
    values.put("db.vacuum", dbVacuum);
    values.put(
        "http.cors.origins", corsOrigins.isEmpty() ? "(none)" : String.join(",", corsOrigins));
    values.put("auth", auth ? "on" : "off (every caller may do everything)");
    values.put("admin.token", adminToken.isEmpty() ? "(not set)" : "****");
    values.put("auth.failures.per.minute", Integer.toString(authFailuresPerMinute));
    values.put(
        "http.trusted.proxies",
        trustedProxies.isEmpty()
            ? "(none)"
            : String.join(",", trustedProxies.stream().map(Object::toString).toList()));
    values.put("metrics.auth", metricsOpen ? "open" : "token");
    values.put("log.format", logFormat);
    values.put("log.runs", logRuns ? "on" : "off");
    values.put("alerts.poll.ms", Long.toString(alertsPoll.toMillis()));
    values.put("health.engine.stall.s", Long.toString(engineStall.toSeconds()));
    // names only: OTEL_EXPORTER_OTLP_HEADERS may hold a token
    values.put(
        "otel",
        otel.isEmpty()
            ? "(no OTEL_* variables)"
            : String.join(",", new java.util.TreeSet<>(otel.keySet())));
    return values;
  }
}
