package dev.chime.server;

import dev.chime.dispatch.Dispatcher;
import dev.chime.dispatch.HostResolver;
import dev.chime.dispatch.HttpDispatcher;
import dev.chime.dispatch.JettyDispatcher;
import dev.chime.dispatch.OutgoingDispatcher;
import dev.chime.dispatch.TargetGuard;
import dev.chime.engine.Engine;
import dev.chime.engine.EngineObserver;
import dev.chime.engine.EngineSettings;
import dev.chime.engine.Janitor;
import dev.chime.engine.NodeHeartbeat;
import dev.chime.engine.PartitionKeeper;
import dev.chime.engine.RetentionSettings;
import dev.chime.engine.TableVacuum;
import dev.chime.engine.WakeUpListener;
import dev.chime.node.NodeRegistration;
import dev.chime.secret.SecretBox;
import dev.chime.server.alerts.Alerts;
import dev.chime.server.api.ApiServer;
import dev.chime.server.api.Outgoing;
import dev.chime.server.auth.AuthSettings;
import dev.chime.server.checkin.CheckinDispatcher;
import dev.chime.server.config.ChimeConfig;
import dev.chime.server.config.NodeIdFile;
import dev.chime.server.metrics.ChimeMetrics;
import dev.chime.server.tracing.FireTracing;
import dev.chime.store.CheckinStore;
import dev.chime.store.Database;
import dev.chime.store.DatabaseSettings;
import dev.chime.store.EngineStore;
import dev.chime.store.NodeStore;
import dev.chime.store.RetentionStore;
import dev.chime.store.RunPartitions;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleStore;
import dev.chime.store.StatsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Chime node: database, engine and HTTP server, started and stopped in order. {@link
 * #close()} stops taking requests, lets the engine finish in-flight calls within the grace period,
 * then closes the database.
 *
 * <p>A node whose id is kept in the data folder holds a lock on that file while it runs, so that
 * two processes never run under one id from one folder.
 */
public final class ChimeNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChimeNode.class);

  private final ChimeConfig config;
  private final NodeIdFile.Lock nodeIdLock;
  private final Database db;
  private final Dispatcher dispatcher;
  private final java.util.function.Consumer<URI> warmUp;
  private final Engine engine;
  private final ApiServer api;
  private final Janitor janitor;
  private final Optional<TableVacuum> vacuum;
  private final Optional<PartitionKeeper> partitions;
  private final NodeHeartbeat heartbeat;
  private final WakeUpListener wakeUps;
  private final ChimeMetrics metrics;
  private final Alerts alerts;
  private final Optional<FireTracing> tracing;
  private boolean closed;

  private ChimeNode(ChimeConfig config, Clock clock) {
    this.config = config;
    if (config.dbUrl().startsWith("jdbc:h2:file:")) {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the data folder " + config.dataDir(), e);
      }
    }
    this.nodeIdLock =
        config.nodeIdKept()
            ? NodeIdFile.lock(config.nodeIdFile(), config.nodeId())
            : NodeIdFile.Lock.NONE;
    try {
      this.db =
          Database.open(
              new DatabaseSettings(
                  config.dbUrl(),
                  config.dbUser(),
                  config.dbPassword(),
                  config.dbPoolSize(),
                  config.dbPoolTimeout()));
    } catch (RuntimeException e) {
      nodeIdLock.close();
      throw e;
    }
    SecretBox box;
    try {
      box = OutgoingSetup.secretBox(config, db, clock);
    } catch (RuntimeException e) {
      db.close();
      nodeIdLock.close();
      throw e;
    }
    TargetGuard guard = new TargetGuard(config.targetPolicy(), HostResolver.SYSTEM);
    Dispatcher http;
    if (config.httpClient().equals("jdk")) {
      HttpDispatcher jdk =
          new HttpDispatcher(config.connectTimeout(), config.responseExcerptBytes(), clock, guard);
      http = jdk;
      this.warmUp = jdk::warmUp;
    } else {
      JettyDispatcher jetty =
          new JettyDispatcher(config.connectTimeout(), config.responseExcerptBytes(), clock, guard);
      http = jetty;
      this.warmUp = jetty::warmUp;
    }
    Outgoing outgoing = OutgoingSetup.outgoing(config, db, box, guard, clock);
    this.dispatcher =
        new OutgoingDispatcher(
            http, box, outgoing.signing()::secretsFor, outgoing.allowLists()::of);
    // the embedded H2 writes commits to its file in the background: what Chime acknowledges, or
    // is about to send, is written at once (one CHECKPOINT shared by callers arriving together)
    WriteFlush flush = WriteFlush.forUrl(config.dbUrl(), () -> checkpoint(db));
    this.engine =
        new Engine(
            new EngineStore(db),
            new CheckinDispatcher(dispatcher, new CheckinStore(db)),
            clock,
            new EngineSettings(
                config.nodeId(),
                config.poll(),
                config.lookahead(),
                config.lease(),
                config.batchSize(),
                config.shutdownGrace(),
                URI.create(config.publicUrl()),
                config.catchupPerSecond(),
                config.tenantMaxRunning(),
                config.prestart(),
                config.resultLinger(),
                config.callsPerHost()),
            () -> awaitWritten(flush));
    this.janitor =
        new Janitor(
            new RetentionStore(db),
            clock,
            new RetentionSettings(
                config.retentionMaxAge(),
                config.retentionMaxRunsPerSchedule(),
                500,
                Duration.ofMinutes(1)),
            config.nodeId());
    this.vacuum =
        TableVacuum.create(db, TableVacuum.Mode.parse(config.dbVacuum()), config.nodeId(), clock);
    this.partitions = PartitionKeeper.create(new RunPartitions(db), clock, config.nodeId());
    this.heartbeat =
        new NodeHeartbeat(
            new NodeStore(db),
            new NodeRegistration(
                config.nodeId(),
                config.publicUrl(),
                ChimeVersion.current(),
                config.heartbeat(),
                config.lease()),
            Duration.ofDays(7));
    this.tracing = FireTracing.start(config.otel(), new RunStore(db)::traceIds);
    this.metrics = new ChimeMetrics();
    metrics.watch(
        engine,
        heartbeat,
        () ->
            db.dataSource() instanceof com.zaxxer.hikari.HikariDataSource hikari
                ? hikari.getHikariPoolMXBean()
                : null,
        new StatsStore(db),
        clock,
        tracing.map(EngineObserver.class::cast).orElse(new EngineObserver() {}));
    this.alerts =
        new Alerts(db, box, guard, clock, config.publicUrl(), config.nodeId(), config.alertsPoll());
    // on PostgreSQL other nodes' changes wake this engine at once (LISTEN/NOTIFY); else it polls
    this.wakeUps = new WakeUpListener(db, config.nodeId(), engine::wake);
    this.api =
        new ApiServer(
            db,
            new ScheduleStore(db),
            new RunStore(db),
            engine,
            config.engineStall(),
            config.quotas(),
            new AuthSettings(
                config.auth(),
                config.adminToken(),
                config.adminTokenFile(),
                config.authFailuresPerMinute(),
                config.trustedProxies()),
            clock,
            config.corsOrigins(),
            metrics,
            config.metricsOpen(),
            outgoing,
            alerts,
            () -> awaitWritten(flush));
  }

  private static void checkpoint(Database db) throws SQLException {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CHECKPOINT");
    }
  }

  private static void awaitWritten(WriteFlush flush) {
    try {
      flush.awaitWritten();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Opens the database (migrating it), registers the node in the nodes table, starts the engine,
   * then the HTTP server.
   */
  public static ChimeNode start(ChimeConfig config, Clock clock) {
    ChimeNode node = new ChimeNode(config, clock);
    try {
      node.heartbeat.start();
      node.wakeUps.start();
      node.engine.start();
      node.janitor.start();
      node.vacuum.ifPresent(TableVacuum::start);
      node.partitions.ifPresent(PartitionKeeper::start);
      node.alerts.start();
      node.api.start(config.host(), config.port());
      node.warmUp.accept(URI.create("http://127.0.0.1:" + node.port() + "/health/live"));
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  public int port() {
    return api.port();
  }

  public ApiServer api() {
    return api;
  }

  public Engine engine() {
    return engine;
  }

  public Alerts alerts() {
    return alerts;
  }

  public WakeUpListener wakeUps() {
    return wakeUps;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("Chime node {} stopping", config.nodeId());
    try {
      api.stop();
    } catch (RuntimeException e) {
      log.warn("HTTP server did not stop cleanly: {}", e.getMessage());
    }
    wakeUps.close();
    janitor.close();
    vacuum.ifPresent(TableVacuum::close);
    partitions.ifPresent(PartitionKeeper::close);
    alerts.close();
    engine.close();
    tracing.ifPresent(FireTracing::close);
    heartbeat.close();
    metrics.close();
    dispatcher.close();
    db.close();
    nodeIdLock.close();
    log.info("Chime node {} stopped", config.nodeId());
  }
}
