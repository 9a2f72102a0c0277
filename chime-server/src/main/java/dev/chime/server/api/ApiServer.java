package dev.chime.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.engine.Engine;
import dev.chime.server.alerts.Alerts;
import dev.chime.server.auth.Access;
import dev.chime.server.auth.AdminToken;
import dev.chime.server.auth.AuthSettings;
import dev.chime.server.auth.Authenticator;
import dev.chime.server.auth.TenantQuotas;
import dev.chime.server.metrics.ChimeMetrics;
import dev.chime.server.web.WebPage;
import dev.chime.store.AuditStore;
import dev.chime.store.CheckinStore;
import dev.chime.store.Database;
import dev.chime.store.NodeStore;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleStore;
import dev.chime.store.ScheduledTaskTargetStore;
import dev.chime.store.TenantStore;
import dev.chime.store.TokenStore;
import dev.chime.tenant.Quotas;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a node: the REST API under {@code /api/v1}, health, metrics, and the OpenAPI
 * document.
 */
public final class ApiServer {
  private static final Set<HandlerType> READS =
      Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

  /** The most the request line and headers of one request may take, in bytes (Jetty's default). */
  static final int REQUEST_HEAD_BYTES = 8 * 1024;

  private static final List<HandlerType> ROUTED_METHODS =
      List.of(
          HandlerType.GET,
          HandlerType.POST,
          HandlerType.PUT,
          HandlerType.PATCH,
          HandlerType.DELETE);

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** The most any request may take: the largest payload a tenant may be given, and the rest. */
  private static final long MAX_REQUEST_BYTES =
      Quotas.MAX_PAYLOAD_BYTES_LIMIT + 2L * Requests.ENVELOPE_BYTES;

  private final Javalin app;
  private final DatabaseWatch databaseWatch;
  private final AuthSettings auth;
  private final Outgoing outgoing;
  private final TokenStore tokens;
  private final TenantStore tenants;
  private final TenantQuotas quotas;
  private final Clock clock;

  /**
   * {@code flushWrites} runs after a request that may have written succeeds and before its answer
   * is sent, so that what the answer acknowledges is on disk (see the server's {@code H2Flush}).
   */
  public ApiServer(
      Database db,
      ScheduleStore schedules,
      RunStore runs,
      Engine engine,
      Duration engineStall,
      Quotas quotaDefaults,
      AuthSettings auth,
      Clock clock,
      List<String> corsOrigins,
      ChimeMetrics metrics,
      boolean metricsOpen,
      Outgoing outgoing,
      Alerts alerts,
      Runnable flushWrites) {
    ProblemErrorHandler jettyErrors = new ProblemErrorHandler(REQUEST_HEAD_BYTES);
    this.databaseWatch = new DatabaseWatch(db);
    this.auth = auth;
    this.outgoing = outgoing;
    this.tokens = new TokenStore(db);
    this.tenants = new TenantStore(db);
    this.quotas = new TenantQuotas(tenants, quotaDefaults);
    this.clock = clock;
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.concurrency.useVirtualThreads = true;
              config.http.prefer405over404 = true;
              // each tenant's body cap is checked as the body is read (Requests); this is the most
              // any tenant's may be
              config.http.maxRequestSize = MAX_REQUEST_BYTES;
              config.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
              config.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setRequestHeaderSize(REQUEST_HEAD_BYTES);
                    http.setSendServerVersion(false);
                    // As on Jetty 11: an odd path (/x/..;/y, a raw é or \) reaches the router,
                    // which matches it to no route (404), and a method in lower case is that method
                    http.setUriCompliance(
                        http.getUriCompliance()
                            .with(
                                "CHIME",
                                UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER,
                                UriCompliance.Violation.ILLEGAL_PATH_CHARACTERS));
                    http.setHttpCompliance(
                        http.getHttpCompliance()
                            .with("CHIME", HttpCompliance.Violation.CASE_INSENSITIVE_METHOD));
                  });
              // Jetty's own answers, before a request reaches Javalin or from its servlet layer
              config.jetty.modifyServer(server -> server.setErrorHandler(jettyErrors));
              config.jetty.modifyServletContextHandler(
                  handler -> handler.setErrorHandler(jettyErrors));
              register(
                  config.routes,
                  db,
                  schedules,
                  runs,
                  engine,
                  engineStall,
                  corsOrigins,
                  alerts,
                  flushWrites);
              config.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(metrics.scrape()),
                  metricsOpen ? Access.PUBLIC : Access.METRICS);
              answerHeadLikeGet(config.routes, config.unsafe.internalRouter);
            });
  }

  /**
   * Javalin takes every route, and the handlers before and after them, as the server is configured.
   */
  private void register(
      RoutesConfig app,
      Database db,
      ScheduleStore schedules,
      RunStore runs,
      Engine engine,
      Duration engineStall,
      List<String> corsOrigins,
      Alerts alerts,
      Runnable flushWrites) {
    app.before(new BrowserGuard(corsOrigins, this::methodsAt)::check);
    // every matched route names who may use it (Access); the check runs before its handler
    app.beforeMatched(
        new Authenticator(
                auth.on(), tokens, quotas, clock, auth.failuresPerMinute(), auth.trustedProxies())
            ::check);
    Requests requests = new Requests(quotas.defaults().maxPayloadBytes());
    ScheduleOperations operations =
        new ScheduleOperations(schedules, runs, clock, engine::wake, outgoing);
    TenantScope tenantScope = new TenantScope(tenants);
    // before the schedule routes: /bulk is not an id
    new BulkRoutes(operations, requests).register(app);
    new ScheduleRoutes(operations, runs, requests, clock).register(app);
    new RunRoutes(runs, requests, clock, engine).register(app);
    new CronRoutes(clock).register(app);
    new NodeRoutes(new NodeStore(db)).register(app);
    new TenantRoutes(tenants, quotas, requests, clock).register(app);
    new TokenRoutes(tokens, tenantScope, requests, clock).register(app);
    new AuditRoutes(new AuditStore(db), tenantScope).register(app);
    new OutgoingRoutes(outgoing, requests, clock).register(app);
    new ChannelRoutes(alerts, requests, clock).register(app);
    new AlertRuleRoutes(alerts, requests, clock).register(app);
    new IncidentRoutes(alerts).register(app);
    new CheckinRoutes(new CheckinStore(db), requests, clock, alerts.publicUrl()).register(app);
    // the older schedulers' APIs, as adapters onto schedules and runs (docs/compat.md)
    new TimerPluginRoutes(operations, requests).register(app);
    new ScheduledTaskRoutes(
            operations, runs, new ScheduledTaskTargetStore(db), requests, outgoing, clock)
        .register(app);
    registerHealth(app, engine, engineStall);
    // the web page at / and its files under /ui/: open routes that hold no data of their own
    WebPage.fromClasspath().register(app);
    String openApi = resource("/openapi.json");
    app.get(
        "/api/v1/openapi.json",
        ctx -> ctx.contentType("application/json").result(openApi),
        Access.PUBLIC);
    Problems.register(app);
    // after-handlers run before Javalin writes the answer
    app.after(
        ctx -> {
          if (!READS.contains(ctx.method()) && ctx.statusCode() < 400) {
            flushWrites.run();
          }
        });
  }

  /**
   * Every GET route answers HEAD by running the GET handler (Jetty sends no body), so a HEAD of a
   * missing schedule is 404 as its GET is; Javalin alone would answer 200 without running it. The
   * HEAD route asks for the roles its GET route asks for.
   */
  private static void answerHeadLikeGet(RoutesConfig app, InternalRouter router) {
    for (var parsed : router.allHttpHandlers()) {
      Endpoint get = parsed.endpoint;
      if (get.method.equals(HandlerType.GET)) {
        Roles roles = get.metadata(Roles.class);
        app.head(
            get.path,
            get.handler,
            roles == null ? new RouteRole[0] : roles.getRoles().toArray(RouteRole[]::new));
      }
    }
  }

  /** The methods routed at a concrete path, as {@code Allow} lists them; empty for no route. */
  private List<String> methodsAt(String path) {
    var router = app.unsafe.internalRouter;
    List<String> methods = new ArrayList<>();
    for (HandlerType method : ROUTED_METHODS) {
      if (router.findFirstHttpHandlerEntry(method, path) != null) {
        methods.add(method.name());
        if (method.equals(HandlerType.GET)) {
          methods.add(HandlerType.HEAD.name());
        }
      }
    }
    if (!methods.isEmpty()) {
      methods.add(HandlerType.OPTIONS.name());
    }
    return methods;
  }

  /**
   * {@code /health/ready} answers from what is known now, never waiting on the database: its state
   * as the background check last saw it, and the engine's own account of its loop and writes.
   */
  private void registerHealth(RoutesConfig app, Engine engine, Duration engineStall) {
    app.get(
        "/health/live",
        ctx -> ctx.json(JsonNodeFactory.instance.objectNode().put("status", "up")),
        Access.PUBLIC);
    app.get(
        "/health/ready",
        ctx -> {
          Optional<String> database = databaseWatch.problem();
          Optional<String> problem = engine.problem(engineStall);
          boolean ready = database.isEmpty() && problem.isEmpty();
          ObjectNode body = JsonNodeFactory.instance.objectNode();
          body.put("status", ready ? "ready" : "not_ready");
          ObjectNode checks = body.putObject("checks");
          checks.put("database", database.isEmpty() ? "up" : "down");
          checks.put("engine", problem.isEmpty() ? "up" : "stalled");
          List<String> reasons = new ArrayList<>();
          database.ifPresent(reasons::add);
          problem.ifPresent(reasons::add);
          if (!reasons.isEmpty()) {
            body.put("reason", String.join("; ", reasons));
          }
          ctx.status(ready ? 200 : 503).json(body);
        },
        Access.PUBLIC);
  }

  private static String resource(String name) {
    try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every route served, as "METHOD /path", for checks that the OpenAPI document is complete. HEAD
   * routes mirror the GET routes and are left out, as OpenAPI documents leave them out.
   */
  public java.util.SortedSet<String> routes() {
    java.util.SortedSet<String> routes = new java.util.TreeSet<>();
    for (var parsed : app.unsafe.internalRouter.allHttpHandlers()) {
      HandlerType method = parsed.endpoint.method;
      if (method.isHttpMethod() && !method.equals(HandlerType.HEAD)) {
        routes.add(method.name() + " " + parsed.endpoint.path);
      }
    }
    return routes;
  }

  /**
   * Makes the first admin token if none exists (or adds the one {@code admin.token} names), then
   * opens the port.
   */
  public void start(String host, int port) {
    if (auth.on()) {
      AdminToken.ensure(
          tokens,
          auth.adminToken(),
          auth.adminTokenFile(),
          clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS),
          AdminViews::tokenRecord);
    } else {
      log.warn(
          "AUTHENTICATION IS OFF (auth=off): anyone who reaches port {} may read, change and run"
              + " every schedule. Use it only for development on your own machine.",
          port);
    }
    databaseWatch.start();
    app.start(host, port);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return app.port();
  }

  public void stop() {
    try {
      app.stop();
    } finally {
      databaseWatch.close();
    }
  }
}
