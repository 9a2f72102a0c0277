package dev.chime.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.server.ChimeNode;
import dev.chime.server.config.ChimeConfig;
import dev.chime.server.config.ConfigLoader;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real Chime node on a random port for tests, with a small client for its API. Settings are given
 * as {@code CHIME_*} variables, exactly as an operator would.
 */
public final class ChimeTestNode implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The default tenant's admin token of every test node (set as {@code CHIME_ADMIN_TOKEN}); the
   * client sends it unless a request brings its own {@code Authorization} or the node runs with
   * {@code CHIME_AUTH=off}.
   */
  public static final String ADMIN_TOKEN = "chime_test-admin-token-for-every-test-node";

  /**
   * The secrets key of test nodes unless a test sets its own: nodes on one database must share one,
   * and none is written under the module's ./data.
   */
  public static final String SECRETS_KEY = "dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE=";

  private final ChimeNode node;
  private final HttpClient client;
  private final Optional<String> token;
  private final boolean owner;

  private ChimeTestNode(ChimeNode node, Optional<String> token) {
    this(node, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), token, true);
  }

  private ChimeTestNode(ChimeNode node, HttpClient client, Optional<String> token, boolean owner) {
    this.node = node;
    this.client = client;
    this.token = token;
    this.owner = owner;
  }

  /**
   * A client of this node that sends {@code token} (none when null) instead of the admin token.
   * Closing it leaves the node running.
   */
  public ChimeTestNode as(String token) {
    return new ChimeTestNode(node, client, Optional.ofNullable(token), false);
  }

  /** A node on a fresh in-memory H2 database, real time, minimum interval 1 s, fast polling. */
  public static ChimeTestNode start() {
    return start(TestDatabases.h2(), Clock.systemUTC(), Map.of());
  }

  public static ChimeTestNode start(
      DatabaseSettings database, Clock clock, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>();
    env.put("CHIME_HOST", "127.0.0.1");
    int port = freePort();
    env.put("CHIME_PORT", Integer.toString(port));
    env.put("CHIME_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("CHIME_DB_URL", database.url());
    env.put("CHIME_DB_USER", database.user());
    env.put("CHIME_DB_PASSWORD", database.password());
    env.put("CHIME_ENGINE_POLL_MS", "50");
    env.put("CHIME_QUOTA_MIN_INTERVAL_S", "1");
    env.put("CHIME_SHUTDOWN_GRACE_S", "5");
    env.put("CHIME_SECRETS_KEY", SECRETS_KEY);
    if (!settings.containsKey("CHIME_DATA_DIR")) {
      // no node-id file under the module's ./data: a test that wants one names its data folder
      env.put("CHIME_NODE_ID", "test-node-" + port);
    }
    env.put("CHIME_ADMIN_TOKEN", ADMIN_TOKEN);
    env.putAll(settings);
    ChimeConfig config = ConfigLoader.load(Optional.empty(), env);
    Optional<String> token =
        config.auth() && !config.adminToken().isEmpty()
            ? Optional.of(config.adminToken())
            : Optional.empty();
    return new ChimeTestNode(ChimeNode.start(config, clock), token);
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public ChimeNode node() {
    return node;
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + node.port() + path);
  }

  /** An answer from the API: status, headers and the body parsed as JSON (null when empty). */
  public record Response(int status, HttpResponse<String> raw, JsonNode json) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }
  }

  public Response get(String path) {
    return send("GET", path, null, "application/json");
  }

  public Response post(String path, String json) {
    return send("POST", path, json, "application/json");
  }

  public Response put(String path, String json) {
    return send("PUT", path, json, "application/json");
  }

  public Response patch(String path, String json) {
    return send("PATCH", path, json, "application/merge-patch+json");
  }

  public Response delete(String path) {
    return send("DELETE", path, null, "application/json");
  }

  public Response send(String method, String path, String body, String contentType) {
    return send(method, path, body, contentType, Map.of());
  }

  /** A request with one header of the caller's besides the body's Content-Type. */
  public Response sendWithHeader(String method, String path, String name, String value) {
    return send(method, path, null, null, Map.of(name, value));
  }

  /**
   * {@code contentType} null sends a body without one; {@code Expect: 100-continue} among {@code
   * headers} makes the client wait for the server's go-ahead before it sends the body.
   */
  public Response send(
      String method, String path, String body, String contentType, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token.isPresent()
        && headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Authorization"))) {
      request.header("Authorization", "Bearer " + token.get());
    }
    headers.forEach(
        (name, value) -> {
          if (name.equalsIgnoreCase("Expect") && value.equalsIgnoreCase("100-continue")) {
            request.expectContinue(true); // the JDK's client sends this header itself
          } else {
            request.header(name, value);
          }
        });
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      boolean isJson =
          response.headers().firstValue("Content-Type").map(t -> t.contains("json")).orElse(true);
      JsonNode json =
          response.body().isEmpty() || !isJson ? null : MAPPER.readTree(response.body());
      return new Response(response.statusCode(), response, json);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (owner) {
      node.close();
      client.close();
    }
  }
}
