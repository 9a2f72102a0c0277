package dev.chime.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.engine.Engine;
import dev.chime.schedule.ScheduleRules;
import dev.chime.store.Database;
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
import java.util.Set;

/**
 * The HTTP face of a node: the REST API under {@code /api/v1}, health, and the OpenAPI document.
 */
public final class ApiServer {
  private static final Set<HandlerType> READS =
      Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

  private final Javalin app;

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
      Runnable flushWrites) {
    int maxBody = rules.maxPayloadBytes() + 32 * 1024;
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.useVirtualThreads = true;
              config.http.prefer405over404 = true;
              config.http.maxRequestSize = Math.max(maxBody * 4L, 1_000_000L);
              config.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
            });
    Requests requests = new Requests(maxBody);
    ScheduleOperations operations =
        new ScheduleOperations(schedules, runs, rules, clock, engine::wake);
    new ScheduleRoutes(operations, runs, requests).register(app);
    new RunRoutes(runs, requests, clock, engine).register(app);
    new CronRoutes(clock).register(app);
    registerHealth(db, engine);
    String openApi = resource("/openapi.json");
    app.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    Problems.register(app);
    // after-handlers run before Javalin writes the answer
    app.after(
        ctx -> {
          if (!READS.contains(ctx.method()) && ctx.statusCode() < 400) {
            flushWrites.run();
          }
        });
  }

  private void registerHealth(Database db, Engine engine) {
    app.get(
        "/health/live", ctx -> ctx.json(JsonNodeFactory.instance.objectNode().put("status", "up")));
    app.get(
        "/health/ready",
        ctx -> {
          boolean database = db.ping();
          boolean loop = engine.isAlive();
          ObjectNode body = JsonNodeFactory.instance.objectNode();
          body.put("status", database && loop ? "ready" : "not_ready");
          ObjectNode checks = body.putObject("checks");
          checks.put("database", database ? "up" : "down");
          checks.put("engine", loop ? "up" : "stalled");
          ctx.status(database && loop ? 200 : 503).json(body);
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

  /** Every route served, as "METHOD /path", for checks that the OpenAPI document is complete. */
  public java.util.SortedSet<String> routes() {
    java.util.SortedSet<String> routes = new java.util.TreeSet<>();
    for (var parsed : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
      if (parsed.getEndpoint().getMethod().isHttpMethod()) {
        routes.add(parsed.getEndpoint().getMethod().name() + " " + parsed.getEndpoint().getPath());
      }
    }
    return routes;
  }

  public void start(String host, int port) {
    app.start(host, port);
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }
}
