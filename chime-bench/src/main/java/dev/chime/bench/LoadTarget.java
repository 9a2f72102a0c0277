package dev.chime.bench;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP target of {@link LoadBench}, run in a process of its own so that its work does not share
 * a JVM (heap, GC pauses, JIT) with the node it measures. It records every call and answers 204, or
 * 500 for a chosen share of calls, after an optional delay. It prints {@code port=<n>} on stdout
 * once it listens on 127.0.0.1, serves its records on {@code /_bench/arrivals}, and exits when its
 * stdin closes (the bench ended, however it ended) or after {@code --max-seconds}.
 *
 * <p>Run alone to measure it: {@code java -cp chime-bench.jar dev.chime.bench.LoadTarget}.
 */
public final class LoadTarget {
  private static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

  private final Clock clock;
  private final Duration delay;
  private final int failPercent;
  private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
  private final AtomicLong count = new AtomicLong();

  LoadTarget(Clock clock, Duration delay, int failPercent) {
    this.clock = clock;
    this.delay = delay;
    this.failPercent = failPercent;
  }

  public static void main(String[] args) throws IOException {
    // The JDK server closes keep-alive connections beyond 200 idle ones (read at its first use):
    // a burst opens up to CHIME_QUOTA_MAX_RUNNING connections at once, and closing them makes
    // resets and slow reconnects that would be counted against Chime.
    if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
      System.setProperty(MAX_IDLE_CONNECTIONS, "20000");
    }
    long delayMs = 0;
    int failPercent = 0;
    long maxSeconds = 3_600;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--delay-ms" -> delayMs = Long.parseLong(args[i + 1]);
        case "--fail-percent" -> failPercent = Integer.parseInt(args[i + 1]);
        case "--max-seconds" -> maxSeconds = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    LoadTarget target = new LoadTarget(Clock.systemUTC(), Duration.ofMillis(delayMs), failPercent);
    HttpServer server = target.listen();
    PrintStream out = System.out;
    out.println("port=" + server.getAddress().getPort());
    out.flush();
    exitAfter(Duration.ofSeconds(maxSeconds));
    awaitStdinClosed();
    server.stop(0);
    System.exit(0);
  }

  HttpServer listen() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
    ExecutorService executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("target-", 0).factory());
    server.setExecutor(executor);
    server.createContext("/", this::hook);
    server.createContext("/_bench/count", this::countEndpoint);
    server.createContext("/_bench/arrivals", this::arrivalsEndpoint);
    server.start();
    return server;
  }

  private void hook(HttpExchange exchange) throws IOException {
    long received = clock.millis();
    try (InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
    }
    Headers headers = exchange.getRequestHeaders();
    arrivals.add(
        new Arrival(
            received,
            parseAttempt(headers.getFirst("Chime-Attempt")),
            header(headers, "Chime-Run-Id"),
            header(headers, "Chime-Scheduled-At"),
            header(headers, "Idempotency-Key")));
    count.incrementAndGet();
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    boolean fail = failPercent > 0 && ThreadLocalRandom.current().nextInt(100) < failPercent;
    exchange.sendResponseHeaders(fail ? 500 : 204, -1);
    exchange.close();
  }

  private void countEndpoint(HttpExchange exchange) throws IOException {
    send(exchange, Long.toString(count.get()).getBytes(StandardCharsets.US_ASCII));
  }

  private void arrivalsEndpoint(HttpExchange exchange) throws IOException {
    StringBuilder text = new StringBuilder(arrivals.size() * 128);
    for (Arrival arrival : arrivals) {
      text.append(arrival.toLine()).append('\n');
    }
    send(exchange, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String header(Headers headers, String name) {
    String value = headers.getFirst(name);
    // a space would break the record's line format; Chime's headers never hold one
    return value == null || value.isBlank() ? Arrival.MISSING : value.replace(' ', '_');
  }

  private static int parseAttempt(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void exitAfter(Duration limit) {
    Thread.ofPlatform()
        .name("target-lifetime")
        .daemon(true)
        .start(
            () -> {
              try {
                Thread.sleep(limit);
              } catch (InterruptedException e) {
                return;
              }
              System.err.println("load target: lifetime of " + limit + " is over, exiting");
              System.exit(2);
            });
  }

  /** Blocks until the parent closes our stdin, which it does on exit or when it dies. */
  private static void awaitStdinClosed() {
    try {
      InputStream in = System.in;
      while (in.read() != -1) {
        // the bench never writes: anything read is ignored
      }
    } catch (IOException e) {
      // a broken pipe also means the parent is gone
    }
  }
}
