package dev.chime.bench;

import com.sun.net.httpserver.HttpServer;
import dev.chime.dispatch.DispatchRequest;
import dev.chime.dispatch.Dispatcher;
import dev.chime.dispatch.HttpDispatcher;
import dev.chime.dispatch.JettyDispatcher;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.HttpTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many calls per second one node's HTTP client reaches against a target in another process on
 * this machine: a small JSON POST answered by a small JSON 200, {@code concurrency} callers each
 * calling in a loop, as the engine's virtual threads do.
 *
 * <p>Run: {@code ./mvnw -q -pl chime-bench -am package -DskipTests && java -cp
 * chime-bench/target/chime-bench.jar dev.chime.bench.ClientCeiling [requests] [concurrency]
 * [client] [target]}. {@code client} is {@code dispatcher} (HttpDispatcher.call, the default),
 * {@code jetty-dispatcher} (JettyDispatcher.call), {@code jdk} (the same JDK client, plain send) or
 * {@code jdk-async} (sendAsync, then get); {@code target} is {@code jetty} (the default, Jetty as
 * Javalin brings it) or {@code jdk} (com.sun.net.httpserver on virtual threads). It prints calls/s,
 * the CPU each process used in cores, and the client's sockets to the target.
 */
public final class ClientCeiling {
  private static final String BODY = "{\"schedule\":\"ceiling\",\"n\":1}";

  private ClientCeiling() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--target")) {
      serve(args[1]);
      return;
    }
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    String client = args.length > 2 ? args[2] : "dispatcher";
    String target = args.length > 3 ? args[3] : "jetty";

    Process server = startTarget(target);
    try {
      int port = readPort(server);
      URI url = URI.create("http://127.0.0.1:" + port + "/hook");
      try (Caller caller = caller(client)) {
        run(caller, url, Math.min(requests, 10_000), concurrency, port, server, "warm-up");
        run(caller, url, requests, concurrency, port, server, "measured");
      }
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  /** One way of making a call; true when the target answered 2xx. */
  private interface Caller extends AutoCloseable {
    boolean call(URI url) throws Exception;

    @Override
    void close();
  }

  private static Caller caller(String kind) {
    return switch (kind) {
      case "dispatcher", "jetty-dispatcher" -> {
        Dispatcher dispatcher =
            kind.equals("dispatcher")
                ? new HttpDispatcher(Duration.ofSeconds(5), 4096, Clock.systemUTC())
                : new JettyDispatcher(Duration.ofSeconds(5), 4096, Clock.systemUTC());
        HttpTarget template =
            new HttpTarget(
                "POST",
                URI.create("http://127.0.0.1/"),
                Map.of(),
                Duration.ofSeconds(30),
                Duration.ofHours(1));
        yield new Caller() {
          @Override
          public boolean call(URI url) throws Exception {
            UUID id = UUID.randomUUID();
            HttpTarget target =
                new HttpTarget(
                    "POST", url, template.headers(), template.timeout(), template.asyncTimeout());
            RunOutcome outcome =
                dispatcher.call(
                    new DispatchRequest(
                        id,
                        "default",
                        id,
                        "ceiling:" + id,
                        1,
                        Instant.EPOCH,
                        "0af7651916cd43dd8448eb211c80319c",
                        target,
                        BODY,
                        URI.create("http://127.0.0.1:1/callback"),
                        "token"));
            return outcome.status() == RunStatus.SUCCESS;
          }

          @Override
          public void close() {
            dispatcher.close();
          }
        };
      }
      case "jdk", "jdk-async" -> {
        // configured as HttpDispatcher configures its client
        HttpClient client =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        boolean async = kind.equals("jdk-async");
        yield new Caller() {
          @Override
          public boolean call(URI url) throws Exception {
            HttpRequest request =
                HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build();
            HttpResponse<String> response =
                async
                    ? client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get()
                    : client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() >= 200 && response.statusCode() < 300;
          }

          @Override
          public void close() {
            client.shutdownNow();
          }
        };
      }
      default ->
          throw new IllegalArgumentException(
              "client is dispatcher, jetty-dispatcher, jdk or jdk-async, not " + kind);
    };
  }

  private static void run(
      Caller caller, URI url, int requests, int concurrency, int port, Process server, String label)
      throws Exception {
    AtomicInteger tickets = new AtomicInteger(requests);
    LongAdder ok = new LongAdder();
    LongAdder failed = new LongAdder();
    AtomicLong firstError = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    Duration clientCpu0 = cpu(ProcessHandle.current());
    Duration targetCpu0 = cpu(server.toHandle());
    long started = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (tickets.getAndDecrement() > 0) {
                      try {
                        if (caller.call(url)) {
                          ok.increment();
                        } else {
                          failed.increment();
                        }
                      } catch (Exception e) {
                        failed.increment();
                        if (firstError.compareAndSet(0, 1)) {
                          System.out.println("first error: " + e);
                        }
                      }
                    }
                  }));
    }
    // sample the client's sockets to the target while the run is under way
    int maxEstablished = 0;
    int maxTimeWait = 0;
    while (threads.stream().anyMatch(Thread::isAlive)) {
      int[] counts = sockets(port);
      maxEstablished = Math.max(maxEstablished, counts[0]);
      maxTimeWait = Math.max(maxTimeWait, counts[1]);
      threads.get(0).join(Duration.ofMillis(200));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double clientCores = (cpu(ProcessHandle.current()).minus(clientCpu0)).toNanos() / 1e9 / seconds;
    double targetCores = (cpu(server.toHandle()).minus(targetCpu0)).toNanos() / 1e9 / seconds;
    System.out.printf(
        "%s: %d calls, concurrency %d: %.0f calls/s (%d ok, %d failed) in %.2f s;"
            + " CPU client %.2f cores, target %.2f cores; sockets to target: up to %d open,"
            + " %d in TIME_WAIT%n",
        label,
        requests,
        concurrency,
        requests / seconds,
        ok.sum(),
        failed.sum(),
        seconds,
        clientCores,
        targetCores,
        maxEstablished,
        maxTimeWait);
  }

  private static Duration cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Client-side sockets to {@code port}: {established, time-wait}, from /proc/net/tcp. */
  private static int[] sockets(int port) throws IOException {
    int[] counts = new int[2];
    String hexPort = String.format(":%04X", port);
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(file);
      if (!Files.exists(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[2].endsWith(hexPort)) {
          continue; // not a connection whose remote end is the target
        }
        if (f[3].equals("01")) {
          counts[0]++;
        } else if (f[3].equals("06")) {
          counts[1]++;
        }
      }
    }
    return counts;
  }

  private static Process startTarget(String kind) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            ClientCeiling.class.getName(),
            "--target",
            kind)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static int readPort(Process server) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("port ")) {
      throw new IllegalStateException("the target did not start: " + line);
    }
    return Integer.parseInt(line.substring(5).trim());
  }

  /** The target process: answers every request with a small JSON 200 until it is killed. */
  private static void serve(String kind) throws Exception {
    byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    int port =
        switch (kind) {
          case "jdk" -> {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext(
                "/",
                exchange -> {
                  try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                  }
                  exchange.getResponseHeaders().set("Content-Type", "application/json");
                  exchange.sendResponseHeaders(200, answer.length);
                  try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                  }
                });
            server.start();
            yield server.getAddress().getPort();
          }
          case "jetty" -> JettyTarget.start(answer);
          default -> throw new IllegalArgumentException("target is jetty or jdk, not " + kind);
        };
    System.out.println("port " + port);
    System.out.flush();
    Thread.currentThread().join();
  }
}
