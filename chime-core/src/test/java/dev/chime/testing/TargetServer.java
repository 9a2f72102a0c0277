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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP target for tests: records every request it gets and answers as told. Answers are
 * chosen per request by a function, so a test can fail the first call and pass the next.
 */
public final class TargetServer implements AutoCloseable {
  /** A request as the target saw it; {@code receivedNanos} is {@link System#nanoTime()}. */
  public record Received(
      String method,
      String path,
      Map<String, List<String>> headers,
      String body,
      long receivedNanos,
      long receivedEpochMillis) {
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
  public record Answer(int status, String body, Duration delay, boolean hangs) {
    public static Answer ok() {
      return new Answer(200, "{\"ok\":true}", Duration.ZERO, false);
    }

    public static Answer status(int status) {
      return new Answer(status, "{\"status\":" + status + "}", Duration.ZERO, false);
    }

    public static Answer hanging() {
      return new Answer(200, "", Duration.ZERO, true);
    }

    public Answer withBody(String value) {
      return new Answer(status, value, delay, hangs);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile Function<Received, Answer> answers = r -> Answer.ok();
  private final Map<String, String> extraHeaders = new java.util.concurrent.ConcurrentHashMap<>();

  public TargetServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
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
            millis);
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
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    extraHeaders.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    try {
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // the caller gave up (a timeout): nothing to answer
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
