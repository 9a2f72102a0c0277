package dev.chime.bench;

import com.sun.net.httpserver.HttpServer;
import dev.chime.server.ChimeNode;
import dev.chime.server.config.ChimeConfig;
import dev.chime.server.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures a single node end to end: time from start to ready, then how late fires reach a real
 * HTTP target (receive time minus the {@code Chime-Scheduled-At} it carries) and how many fires per
 * second go out when many fall due together.
 *
 * <p>Run: {@code ./mvnw -q -pl chime-bench -am package -DskipTests && java -cp
 * chime-bench/target/chime-bench.jar dev.chime.bench.FireBench [spread-count] [burst-count]
 * [jdbc-url]}. Defaults: 300 fires spread 20 ms apart, then a burst of 2000 due at one instant, on
 * an embedded H2 database in a temporary folder.
 */
public final class FireBench {
  /** The admin token the bench's node is given, so the bench can use the API. */
  private static final String TOKEN = "chime_firebench-" + java.util.UUID.randomUUID();

  private record Hit(Instant scheduledAt, long receivedMillis) {}

  private final ConcurrentLinkedQueue<Hit> hits = new ConcurrentLinkedQueue<>();
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public static void main(String[] args) throws Exception {
    int spread = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int burst = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    Optional<String> dbUrl = args.length > 2 ? Optional.of(args[2]) : Optional.empty();
    new FireBench().run(spread, burst, dbUrl);
  }

  private void run(int spread, int burst, Optional<String> dbUrl) throws Exception {
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
    target.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    target.createContext(
        "/",
        exchange -> {
          long now = System.currentTimeMillis();
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          hits.add(
              new Hit(
                  Instant.parse(exchange.getRequestHeaders().getFirst("Chime-Scheduled-At")), now));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    target.start();
    String hook = "http://127.0.0.1:" + target.getAddress().getPort() + "/hook";

    Path dataDir = Files.createTempDirectory("chime-bench");
    Map<String, String> env = new HashMap<>();
    env.put("CHIME_HOST", "127.0.0.1");
    env.put("CHIME_PORT", "0");
    env.put("CHIME_DATA_DIR", dataDir.toString());
    env.put("CHIME_SHUTDOWN_GRACE_S", "5");
    env.put("CHIME_ADMIN_TOKEN", TOKEN);
    env.put("CHIME_SECRETS_KEY", BenchDatabase.SECRETS_KEY);
    dbUrl.ifPresent(url -> env.put("CHIME_DB_URL", url));
    ChimeConfig config = ConfigLoader.load(Optional.empty(), env);

    long startNanos = System.nanoTime();
    try (ChimeNode node = ChimeNode.start(config, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + node.port();
      while (get(base + "/health/ready") != 200) {
        Thread.onSpinWait();
      }
      long readyMs = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
      System.out.printf("database: %s%n", config.dbUrl());
      System.out.printf("start to ready (in-process, warm JVM): %d ms%n", readyMs);

      // 1. lateness: fires spread 20 ms apart, one schedule each
      Instant first = Instant.now().plusSeconds(4);
      List<Instant> instants = new ArrayList<>();
      for (int i = 0; i < spread; i++) {
        instants.add(first.plusMillis(20L * i));
      }
      create(base, hook, "spread", instants);
      awaitHits(spread, Duration.ofSeconds(30).plusMillis(20L * spread));
      report("spread: " + spread + " fires, 20 ms apart", new ArrayList<>(hits));
      hits.clear();

      // 2. throughput: many fires due at the same instant
      Instant at = Instant.now().plusSeconds(Math.max(5, burst / 400));
      create(base, hook, "burst", Collections.nCopies(burst, at));
      try {
        awaitHits(burst, Duration.ofSeconds(60));
      } finally {
        outcomes(base, "burst");
      }
      List<Hit> burstHits = new ArrayList<>(hits);
      long last = burstHits.stream().mapToLong(Hit::receivedMillis).max().orElseThrow();
      double seconds = Math.max(1, last - at.toEpochMilli()) / 1000.0;
      report("burst: " + burst + " fires due at one instant", burstHits);
      System.out.printf(
          "burst: all %d delivered %.0f ms after the instant: %.0f fires/s%n",
          burst, seconds * 1000, burst / seconds);
    } finally {
      target.stop(0);
    }
  }

  /** Counts the runs of the schedules whose names start with {@code prefix}, by status. */
  private void outcomes(String base, String prefix) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    Map<String, Integer> counts = new java.util.TreeMap<>();
    String cursor = null;
    do {
      String page =
          body(
              base
                  + "/api/v1/schedules?limit=500&name="
                  + prefix
                  + (cursor == null ? "" : "&cursor=" + cursor));
      var json = mapper.readTree(page);
      for (var schedule : json.get("items")) {
        var runs =
            mapper
                .readTree(body(base + "/api/v1/schedules/" + schedule.get("id").asText() + "/runs"))
                .get("items");
        if (runs.isEmpty()) {
          counts.merge(
              "no run (enabled="
                  + schedule.get("enabled")
                  + ", next="
                  + schedule.get("next_fire_at")
                  + ")",
              1,
              Integer::sum);
        }
        for (var run : runs) {
          counts.merge(
              run.get("status").asText()
                  + " "
                  + run.get("error_code").asText()
                  + " "
                  + run.get("error_message").asText(),
              1,
              Integer::sum);
        }
      }
      cursor = json.get("next_cursor").isNull() ? null : json.get("next_cursor").asText();
    } while (cursor != null);
    System.out.printf("%s run outcomes: %s%n", prefix, counts);
  }

  private String body(String url) throws IOException, InterruptedException {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private void create(String base, String hook, String prefix, List<Instant> instants)
      throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < instants.size(); i++) {
        String body =
            "{\"name\":\""
                + prefix
                + "-"
                + i
                + "-"
                + System.nanoTime()
                + "\",\"trigger\":{\"type\":\"once\",\"at\":\""
                + instants.get(i)
                + "\"},\"target\":{\"url\":\""
                + hook
                + "\"},\"payload\":{\"i\":"
                + i
                + "}}";
        results.add(pool.submit(() -> post(base + "/api/v1/schedules", body)));
      }
      for (Future<Integer> result : results) {
        if (result.get() != 201) {
          throw new IllegalStateException("create failed with " + result.get());
        }
      }
    }
  }

  private void awaitHits(int count, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (hits.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + hits.size() + " of " + count + " fires arrived");
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(5); // a benchmark's wait, not a test's: nothing is asserted on it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void report(String label, List<Hit> list) {
    List<Long> late = new ArrayList<>();
    for (Hit hit : list) {
      late.add(hit.receivedMillis() - hit.scheduledAt().toEpochMilli());
    }
    Collections.sort(late);
    System.out.printf(
        "%s: lateness ms p50=%d p90=%d p99=%d max=%d (min %d)%n",
        label, pct(late, 50), pct(late, 90), pct(late, 99), late.get(late.size() - 1), late.get(0));
  }

  private static long pct(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  private int get(String url) {
    try {
      return client
          .send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Authorization", "Bearer " + TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private int post(String url, String body) throws IOException, InterruptedException {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
