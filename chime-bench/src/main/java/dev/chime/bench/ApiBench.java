package dev.chime.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.server.ChimeNode;
import dev.chime.server.config.ChimeConfig;
import dev.chime.server.config.ConfigLoader;
import dev.chime.tenant.Quotas;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The schedule API under load: create, get and list schedules against a real node with auth on,
 * from a load driver in this JVM (the JDK's HTTP client, {@code --clients} virtual threads each
 * calling in a loop for a fixed time per operation). Every call carries the admin token the node
 * wrote to its {@code admin-token} file. Reports requests per second and latency percentiles per
 * operation, on H2 and on PostgreSQL (a database of its own, made and dropped through the one
 * named).
 *
 * <p>Run: {@code ./mvnw -q -pl chime-bench -am package -DskipTests && java -cp
 * chime-bench/target/chime-bench.jar dev.chime.bench.ApiBench [--clients 16] [--seconds 10]
 * [--warmup 2] [--db h2,jdbc:postgresql://127.0.0.1:5432/test?user=postgres]}. The last line
 * printed is the result as one JSON object.
 */
public final class ApiBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOOK = "http://127.0.0.1:9/hook";

  record Options(int clients, Duration window, Duration warmup, List<String> databases) {
    static Options parse(String[] args) {
      int clients = 16;
      int seconds = 10;
      int warmup = 2;
      List<String> databases = List.of("h2", Suite.POSTGRES);
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--clients" -> clients = Integer.parseInt(args[++i]);
          case "--seconds" -> seconds = Integer.parseInt(args[++i]);
          case "--warmup" -> warmup = Integer.parseInt(args[++i]);
          case "--db" -> databases = List.of(args[++i].split(","));
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; options: --clients N --seconds S --warmup W --db h2,URL");
        }
      }
      if (clients < 1 || seconds < 1 || warmup < 0) {
        throw new IllegalArgumentException("clients and seconds must be positive");
      }
      return new Options(
          clients, Duration.ofSeconds(seconds), Duration.ofSeconds(warmup), databases);
    }
  }

  private final PrintStream out;

  ApiBench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    ObjectNode result = new ApiBench(System.out).measure(Options.parse(args));
    System.out.println(JSON.writeValueAsString(result));
    System.exit(0);
  }

  ObjectNode measure(Options options) throws Exception {
    ObjectNode result = JSON.createObjectNode();
    result.put("bench", "ApiBench");
    result.put("clients", options.clients());
    result.put("window_s", options.window().toSeconds());
    result.put("warmup_s", options.warmup().toSeconds());
    result.put("load_average_before", Machine.loadAverage());
    ArrayNode runs = result.putArray("databases");
    for (String db : options.databases()) {
      runs.add(measureOne(options, db));
    }
    result.put("load_average_after", Machine.loadAverage());
    result
        .putArray("notes")
        .add(
            "auth on: every call carries the admin token; the driver runs in the node's JVM and"
                + " shares its cores")
        .add(
            "create: POST /api/v1/schedules (interval 1 day); get: GET /api/v1/schedules/{id} of"
                + " one created; list: GET /api/v1/schedules?limit=50");
    print(result);
    return result;
  }

  private ObjectNode measureOne(Options options, String db) throws Exception {
    ObjectNode node = JSON.createObjectNode();
    node.put("load_average_before", Machine.loadAverage());
    Path dataDir = Files.createTempDirectory("chime-apibench");
    ScratchDatabase scratch =
        ScratchDatabase.isPostgres(db) ? ScratchDatabase.create(db, "chime_apibench") : null;
    try {
      Map<String, String> env = LoadBench.benchNodeEnvironment(dataDir);
      env.put("CHIME_AUTH", "on");
      env.put(
          "CHIME_QUOTA_MAX_ENABLED_SCHEDULES",
          Integer.toString(Quotas.MAX_ENABLED_SCHEDULES_LIMIT));
      if (scratch != null) {
        env.put("CHIME_DB_URL", scratch.url());
      }
      ChimeConfig config = ConfigLoader.load(Optional.empty(), env);
      try (ChimeNode chime = ChimeNode.start(config, Clock.systemUTC());
          HttpClient client =
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .connectTimeout(Duration.ofSeconds(5))
                  .build()) {
        String token = Files.readString(config.adminTokenFile()).trim();
        URI base = URI.create("http://127.0.0.1:" + chime.port() + "/api/v1/schedules");
        node.put("database", scratch == null ? "h2" : "postgresql");
        Api api = new Api(client, base, token);
        CopyOnWriteArrayList<String> ids = new CopyOnWriteArrayList<>();
        AtomicInteger names = new AtomicInteger();
        ObjectNode ops = node.putObject("operations");
        ops.set(
            "create",
            drive(
                options,
                () -> {
                  String id = api.create("apibench-" + names.incrementAndGet());
                  if (id != null) {
                    ids.add(id);
                  }
                  return id != null;
                }));
        ops.set(
            "get",
            drive(
                options, () -> api.get(ids.get(ThreadLocalRandom.current().nextInt(ids.size())))));
        ops.set("list", drive(options, api::list));
        node.put("schedules_created", ids.size());
      }
    } finally {
      if (scratch != null) {
        scratch.close();
      }
      LoadBench.deleteRecursively(dataDir);
    }
    node.put("load_average_after", Machine.loadAverage());
    return node;
  }

  /** One call; true when it answered as it should. */
  private interface Call {
    boolean call() throws Exception;
  }

  /**
   * Runs {@code call} from every client in a loop: unmeasured for the warm-up, then for the window.
   */
  private ObjectNode drive(Options options, Call call) throws InterruptedException {
    long warmupEnd = System.nanoTime() + options.warmup().toNanos();
    long end = warmupEnd + options.window().toNanos();
    ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < options.clients(); c++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    long[] mine = new long[1024];
                    int n = 0;
                    while (true) {
                      long start = System.nanoTime();
                      if (start >= end) {
                        break;
                      }
                      boolean ok;
                      try {
                        ok = call.call();
                        if (!ok) {
                          firstFailure.compareAndSet(null, "an answer not as expected");
                        }
                      } catch (Exception e) {
                        ok = false;
                        firstFailure.compareAndSet(null, e.toString());
                      }
                      long done = System.nanoTime();
                      if (start < warmupEnd) {
                        continue;
                      }
                      if (!ok) {
                        failures.incrementAndGet();
                        continue;
                      }
                      if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                      }
                      mine[n++] = done - start;
                    }
                    latencies.add(Arrays.copyOf(mine, n));
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    ObjectNode op = JSON.createObjectNode();
    op.put("ok", all.length);
    op.put("failed", failures.get());
    if (firstFailure.get() != null) {
      op.put("first_failure", firstFailure.get());
    }
    op.put("rps", Math.round(all.length * 10.0 / options.window().toMillis() * 1000) / 10.0);
    op.put("p50_ms", millis(rank(all, 50)));
    op.put("p90_ms", millis(rank(all, 90)));
    op.put("p99_ms", millis(rank(all, 99)));
    op.put("max_ms", millis(all.length == 0 ? 0 : all[all.length - 1]));
    return op;
  }

  private static long rank(long[] sorted, double percent) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }

  /** The three calls, each with the token. */
  private record Api(HttpClient client, URI base, String token) {
    String create(String name) throws IOException, InterruptedException {
      String body =
          "{\"name\":\""
              + name
              + "\",\"trigger\":{\"type\":\"interval\",\"seconds\":86400},"
              + "\"target\":{\"type\":\"http\",\"method\":\"POST\",\"url\":\""
              + HOOK
              + "\",\"timeout_ms\":5000},\"payload\":{\"n\":1}}";
      HttpResponse<String> response =
          send(
              request(base)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
      if (response.statusCode() != 201) {
        throw new IllegalStateException(
            "create answered " + response.statusCode() + ": " + response.body());
      }
      JsonNode created = JSON.readTree(response.body());
      return created.path("id").asText(null);
    }

    boolean get(String id) throws IOException, InterruptedException {
      HttpResponse<String> response = send(request(URI.create(base + "/" + id)).GET().build());
      return response.statusCode() == 200;
    }

    boolean list() throws IOException, InterruptedException {
      HttpResponse<String> response = send(request(URI.create(base + "?limit=50")).GET().build());
      return response.statusCode() == 200;
    }

    private HttpRequest.Builder request(URI uri) {
      return HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest request)
        throws IOException, InterruptedException {
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
  }

  private void print(ObjectNode result) {
    out.println();
    out.printf(
        "ApiBench: %d clients, %d s per operation after %d s warm-up, auth on (load %s -> %s)%n",
        result.path("clients").asInt(),
        result.path("window_s").asInt(),
        result.path("warmup_s").asInt(),
        result.path("load_average_before").asText(),
        result.path("load_average_after").asText());
    out.printf(
        "  %-11s %-7s %9s %8s %8s %8s %8s %7s%n",
        "database", "op", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "failed");
    for (JsonNode db : result.path("databases")) {
      for (String op : List.of("create", "get", "list")) {
        JsonNode o = db.at("/operations/" + op);
        out.printf(
            "  %-11s %-7s %9s %8s %8s %8s %8s %7s%n",
            db.path("database").asText(),
            op,
            o.path("rps").asText(),
            o.path("p50_ms").asText(),
            o.path("p90_ms").asText(),
            o.path("p99_ms").asText(),
            o.path("max_ms").asText(),
            o.path("failed").asText());
      }
    }
  }
}
