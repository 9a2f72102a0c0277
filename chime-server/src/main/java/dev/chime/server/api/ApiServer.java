package dev.chime.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.engine.Engine;
import dev.chime.schedule.ScheduleRules;
import dev.chime.store.Database;
import dev.chime.store.NodeStore;
import dev.chime.store.RunStore;
import dev.chime.store.ScheduleStore;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP face of a node: the REST API under {@code /api/v1}, health, and the OpenAPI document.
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

  private final Javalin app;
  private final DatabaseWatch databaseWatch;

  /**
   * {@code flushWrites} runs after a request that may have written succeeds and before its answer
   * is sent, so that what the answer acknowledges is on disk (see the server's {@code H2Flush}).
   */
  public ApiServer(
      Database db,
      ScheduleStore schedules,
      RunStore runs,
      Engine engine,
      ScheduleRules rules,
      Clock clock,
      List<String> corsOrigins,
      Outgoing outgoing,
      Runnable flushWrites) {
    int maxBody = rules.maxPayloadBytes() + 32 * 1024;
    ProblemErrorHandler jettyErrors = new ProblemErrorHandler(REQUEST_HEAD_BYTES);
    this.databaseWatch = new DatabaseWatch(db);
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.useVirtualThreads = true;
              config.http.prefer405over404 = true;
              config.http.maxRequestSize = Math.max(maxBody * 4L, 1_000_000L);
              config.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
              config.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setRequestHeaderSize(REQUEST_HEAD_BYTES);
                    http.setSendServerVersion(false);
                  });
              config.jetty.modifyServer(server -> server.setErrorHandler(jettyErrors));
              config.jetty.modifyServletContextHandler(
                  handler -> handler.setErrorHandler(jettyErrors));
            });
    app.before(new BrowserGuard(corsOrigins, this::methodsAt)::check);
    Requests requests = new Requests(maxBody);
    ScheduleOperations operations =
        new ScheduleOperations(schedules, runs, rules, clock, engine::wake, outgoing);
    new ScheduleRoutes(operations, runs, requests).register(app);
    new RunRoutes(runs, requests, clock, engine).register(app);
    new CronRoutes(clock).register(app);
    new NodeRoutes(new NodeStore(db)).register(app);
    new OutgoingRoutes(outgoing, requests, clock).register(app);
    registerHealth(engine);
    String openApi = resource("/openapi.json");
    app.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    answerHeadLikeGet();
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
   * missing schedule is 404 as its GET is; Javalin alone would answer 200 without running it.
   */
  private void answerHeadLikeGet() {
    for (var parsed : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
      if (parsed.getEndpoint().getMethod() == HandlerType.GET) {
        app.head(parsed.getEndpoint().getPath(), parsed.getEndpoint().getHandler());
      }
    }
  }

  /** The methods routed at a concrete path, as {@code Allow} lists them; empty for no route. */
  private List<String> methodsAt(String path) {
    var router = app.unsafeConfig().pvt.internalRouter;
    List<String> methods = new ArrayList<>();
    for (HandlerType method : ROUTED_METHODS) {
      if (router.findHttpHandlerEntries(method, path).findAny().isPresent()) {
        methods.add(method.name());
        if (method == HandlerType.GET) {
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
  private void registerHealth(Engine engine) {
    app.get(
        "/health/live", ctx -> ctx.json(JsonNodeFactory.instance.objectNode().put("status", "up")));
    app.get(
        "/health/ready",
        ctx -> {
          Optional<String> database = databaseWatch.problem();
          Optional<String> problem = engine.problem();
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
        });
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
    for (var parsed : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
      HandlerType method = parsed.getEndpoint().getMethod();
      if (method.isHttpMethod() && method != HandlerType.HEAD) {
        routes.add(parsed.getEndpoint().getMethod().name() + " " + parsed.getEndpoint().getPath());
      }
    }
    return routes;
  }

  public void start(String host, int port) {
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
