package dev.chime.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link LoadTarget} as a child JVM on the bench's own classpath. Closing it (or the bench's
 * JVM exiting, through a shutdown hook) stops the process.
 */
final class TargetProcess implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(20);

  private final Process process;
  private final Thread killer;
  private final int port;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private boolean closed;

  private TargetProcess(Process process, Thread killer, int port) {
    this.process = process;
    this.killer = killer;
    this.port = port;
  }

  /** Starts the target and waits until it says which port it listens on. */
  static TargetProcess start(Duration delay, int failPercent, Duration lifetime) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LoadTarget.class.getName());
    command.addAll(List.of("--delay-ms", Long.toString(delay.toMillis())));
    command.addAll(List.of("--fail-percent", Integer.toString(failPercent)));
    command.addAll(List.of("--max-seconds", Long.toString(Math.max(1, lifetime.toSeconds()))));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the load target: " + command, e);
    }
    Thread killer = new Thread(process::destroyForcibly, "load-target-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      return new TargetProcess(process, killer, readPort(process));
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private static int readPort(Process process) {
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      String first = line.get(START_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      if (first == null || !first.startsWith("port=")) {
        throw new IllegalStateException("the load target did not report its port: " + first);
      }
      return Integer.parseInt(first.substring("port=".length()).trim());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the load target did not start within " + START_LIMIT, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the load target's port", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the load target started", e);
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  URI hook() {
    return URI.create("http://127.0.0.1:" + port + "/hook");
  }

  /** Calls received so far. */
  long count() {
    return Long.parseLong(get("/_bench/count").trim());
  }

  /** Every call received so far. */
  List<Arrival> arrivals() {
    List<Arrival> arrivals = new ArrayList<>();
    get("/_bench/arrivals")
        .lines()
        .filter(l -> !l.isEmpty())
        .map(Arrival::parse)
        .forEach(arrivals::add);
    return arrivals;
  }

  private String get(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build();
    try {
      HttpResponse<String> response =
          client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("the load target did not answer " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + path, e);
    }
  }

  /** Closes the target's stdin, which ends it; forcibly if it has not ended within 5 s. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    client.close();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs anyway, harmlessly
    }
  }
}
