package dev.chime.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A real HTTP target for tests: records every request it gets and answers as told. Answers are
 * chosen per request by a function, so a test can fail the first call and pass the next.
 */
public final class TargetServer implements AutoCloseable {
  /**
   * A request as the target saw it; {@code receivedNanos} is {@link System#nanoTime()}, {@code
   * remotePort} the caller's port, the same for requests on one kept-alive connection.
   */
  public record Received(
      String method,
      String path,
      Map<String, List<String>> headers,
      String body,
      long receivedNanos,
      long receivedEpochMillis,
      int remotePort) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name)) {
          return entry.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** How to answer: a status, a body, and an optional delay or a hang until released. */
  public record Answer(int status, Body body, Duration delay, boolean hangs) {
    public Answer(int status, String body, Duration delay, boolean hangs) {
      this(status, new Body.Bytes(body.getBytes(StandardCharsets.UTF_8)), delay, hangs);
    }

    public static Answer ok() {
      return new Answer(200, "{\"ok\":true}", Duration.ZERO, false);
    }

    public static Answer status(int status) {
      return new Answer(status, "{\"status\":" + status + "}", Duration.ZERO, false);
    }

    public static Answer hanging() {
      return new Answer(200, "", Duration.ZERO, true);
    }

    /** A 200 whose body is these bytes exactly, valid UTF-8 or not. */
    public static Answer bytes(byte[] body) {
      return new Answer(200, new Body.Bytes(body.clone()), Duration.ZERO, false);
    }

    /** A 200 with its headers at once, then one body byte per {@code interval}, for minutes. */
    public static Answer trickling(Duration interval) {
      return new Answer(200, new Body.Trickle(interval, 10_000), Duration.ZERO, false);
    }

    /** A 200 with a body of {@code bytes} bytes, announced by its Content-Length. */
    public static Answer large(long bytes) {
      return new Answer(200, new Body.Large(bytes), Duration.ZERO, false);
    }

    public Answer withBody(String value) {
      return new Answer(status, value, delay, hangs);
    }
  }

  /** How an answer's body goes out. */
  public sealed interface Body {
    /** All at once. */
    record Bytes(byte[] bytes) implements Body {}

    /** Chunked, one byte per {@code interval}, until {@code bytes} are out or the caller leaves. */
    record Trickle(Duration interval, int bytes) implements Body {}

    /** {@code bytes} of filler in 64 KiB writes, as fast as the caller reads them. */
    record Large(long bytes) implements Body {}
  }

  /**
   * What became of an answer: how many body bytes went out, and whether all did or the caller went
   * away first (the write failed: it closed the connection).
   */
  public record Sent(String path, long bytes, boolean complete, long endedNanos) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private volatile Function<Received, Answer> answers = r -> Answer.ok();
  private final Map<String, String> extraHeaders = new java.util.concurrent.ConcurrentHashMap<>();

  private final String host;

  public TargetServer() {
    this("127.0.0.1");
  }

  /** A target listening on {@code host}, an address of this machine (127.0.0.2, say). */
  public TargetServer(String host) {
    this(host, 0);
  }

  /** A target on {@code host} and {@code port} (0: any free port). */
  public TargetServer(String host, int port) {
    this.host = host;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 100);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI url(String path) {
    return URI.create("http://" + host + ":" + server.getAddress().getPort() + path);
  }

  public void answer(Function<Received, Answer> value) {
    answers = value;
  }

  /** A header every answer carries from now on, such as Retry-After. */
  public void answerHeaders(String name, String value) {
    extraHeaders.put(name, value);
  }

  public void answerAlways(Answer value) {
    answers = r -> value;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** What became of each answer so far, in the order they ended. */
  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** Lets every hanging request finish. */
  public void releaseHanging() {
    release.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long nanos = System.nanoTime();
    long millis = System.currentTimeMillis();
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Received request =
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            Map.copyOf(exchange.getRequestHeaders()),
            body,
            nanos,
            millis,
            exchange.getRemoteAddress().getPort());
    received.add(request);
    Answer answer = answers.apply(request);
    try {
      if (answer.hangs()) {
        release.await(120, TimeUnit.SECONDS);
      } else if (!answer.delay().isZero()) {
        release.await(answer.delay().toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    extraHeaders.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    AtomicLong written = new AtomicLong();
    boolean complete = false;
    try {
      complete = write(exchange, answer, written);
    } catch (IOException e) {
      // the caller gave up (a timeout, or it read all it wanted): nothing more to answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
      sent.add(new Sent(request.path(), written.get(), complete, System.nanoTime()));
    }
  }

  /** Sends the answer; false when the server closed before it was all out. */
  private boolean write(HttpExchange exchange, Answer answer, AtomicLong written)
      throws IOException, InterruptedException {
    OutputStream out = exchange.getResponseBody();
    switch (answer.body()) {
      case Body.Bytes(byte[] bytes) -> {
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        out.write(bytes);
        written.set(bytes.length);
      }
      case Body.Trickle(Duration interval, int bytes) -> {
        exchange.sendResponseHeaders(answer.status(), 0);
        out.flush();
        for (int i = 0; i < bytes; i++) {
          if (closing.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
          }
          out.write('x');
          out.flush();
          written.incrementAndGet();
        }
      }
      case Body.Large(long bytes) -> {
        exchange.sendResponseHeaders(answer.status(), bytes);
        byte[] piece = new byte[64 * 1024];
        Arrays.fill(piece, (byte) 'x');
        while (written.get() < bytes) {
          int n = (int) Math.min(piece.length, bytes - written.get());
          out.write(piece, 0, n);
          written.addAndGet(n);
        }
      }
    }
    out.close();
    return true;
  }

  @Override
  public void close() {
    closing.countDown();
    release.countDown();
    server.stop(0);
  }
}
