package dev.chime.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

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

  public static void main(String[] args) throws Exception {
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
    Server server = target.listen();
    PrintStream out = System.out;
    out.println("port=" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    out.flush();
    exitAfter(Duration.ofSeconds(maxSeconds));
    awaitStdinClosed();
    server.stop();
    System.exit(0);
  }

  /**
   * Listens on a free port of 127.0.0.1. Jetty's server, without blocking a thread per call: at a
   * few thousand calls a second the JDK's own server took about twice the CPU per call, CPU that
   * the node under test shares on a small machine.
   */
  Server listen() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("target");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(4096);
    // a burst keeps thousands of connections open at once, idle between instants
    connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            switch (path) {
              case "/_bench/count" -> send(response, callback, Long.toString(count.get()));
              case "/_bench/arrivals" -> send(response, callback, arrivalLines());
              default -> hook(request, response, callback);
            }
            return true;
          }
        });
    server.start();
    return server;
  }

  private void hook(Request request, Response response, Callback callback) {
    long received = clock.millis();
    HttpFields headers = request.getHeaders();
    arrivals.add(
        new Arrival(
            received,
            parseAttempt(headers.get("Chime-Attempt")),
            header(headers, "Chime-Run-Id"),
            header(headers, "Chime-Scheduled-At"),
            header(headers, "Idempotency-Key")));
    count.incrementAndGet();
    boolean fail = failPercent > 0 && ThreadLocalRandom.current().nextInt(100) < failPercent;
    Runnable answer =
        () -> {
          response.setStatus(fail ? 500 : 204);
          response.write(true, null, callback);
        };
    // the request body is read to its end before the answer goes out
    Content.Source.consumeAll(
        request,
        Callback.from(
            () -> {
              if (delay.isZero()) {
                answer.run();
              } else {
                request
                    .getComponents()
                    .getScheduler()
                    .schedule(answer, delay.toMillis(), TimeUnit.MILLISECONDS);
              }
            },
            callback::failed));
  }

  private String arrivalLines() {
    StringBuilder text = new StringBuilder(arrivals.size() * 128);
    for (Arrival arrival : arrivals) {
      text.append(arrival.toLine()).append('\n');
    }
    return text.toString();
  }

  private static void send(Response response, Callback callback, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  private static String header(HttpFields headers, String name) {
    String value = headers.get(name);
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
