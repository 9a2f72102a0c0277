package dev.chime.dispatch;

import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls HTTP targets with the JDK's client. A call is a success when the target answers 2xx; a 202
 * Accepted leaves the run running until the target reports back on the callback URL; any other
 * status, a timeout or a network error is a failed run with an error code: {@code http_status},
 * {@code timeout}, {@code connection_refused}, {@code unknown_host}, {@code tls_error}, {@code
 * io_error}.
 *
 * <p>A target's {@code timeout} bounds the whole call, from connecting to the last byte of the
 * excerpt: past it the exchange is aborted and its connection closed. When {@link #call} returns,
 * by an answer, a timeout or an interrupt, nothing of the call is left running.
 */
public final class HttpDispatcher implements Dispatcher {

  /** How long the rest of a body past the excerpt may take to be dropped, as OkHttp allows. */
  private static final Duration DRAIN_WAIT = Duration.ofMillis(100);

  private final HttpClient client;
  private final ExecutorService executor;
  private final int excerptBytes;
  private final Clock clock;
  private final Duration connectTimeout;
  private final TargetGuard guard;

  public HttpDispatcher(Duration connectTimeout, int excerptBytes, Clock clock) {
    this(connectTimeout, excerptBytes, clock, TargetGuard.DEFAULT);
  }

  /**
   * {@code guard} checks every address the target's host resolves to just before the call; this
   * client then resolves the host again by itself, through the JVM's DNS cache, so a DNS answer
   * that changes in between is not seen (Jetty's client has no such gap).
   */
  public HttpDispatcher(Duration connectTimeout, int excerptBytes, Clock clock, TargetGuard guard) {
    this.clock = clock;
    this.guard = guard;
    this.connectTimeout = connectTimeout;
    this.executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("chime-http-", 0).factory());
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
    this.excerptBytes = excerptBytes;
  }

  @Override
  public RunOutcome call(DispatchRequest request) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Optional<RunOutcome> refused =
        Calls.refused(request, guard)
            // this client resolves the host again by itself: see TargetGuard#refusalOfResolved
            .or(
                () ->
                    guard
                        .refusalOfResolved(request.target().url(), request.allowList())
                        .map(Calls::forbidden));
    if (refused.isPresent()) {
      return refused.get();
    }
    CallProgress progress = new CallProgress(excerptBytes);
    HttpRequest httpRequest;
    try {
      httpRequest = build(request, progress, clock.instant());
    } catch (IllegalArgumentException e) {
      return Calls.unsendable(e);
    }
    long started = System.nanoTime();
    long deadline = started + request.target().timeout().toNanos();
    CompletableFuture<HttpResponse<CallProgress>> exchange =
        client.sendAsync(httpRequest, progress);
    try {
      HttpResponse<CallProgress> response =
          exchange.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      progress.awaitExcerpt(deadline - System.nanoTime());
      // a short wait for the rest of a body a little past the excerpt, to keep its connection
      progress.awaitEnd(Math.min(DRAIN_WAIT.toNanos(), deadline - System.nanoTime()));
      return answered(request, response, progress, Calls.millisSince(started));
    } catch (TimeoutException e) {
      // stopped first, so that the message says where it stopped and the duration includes it
      stop(exchange, progress);
      return timedOut(request, progress, started);
    } catch (ExecutionException e) {
      return failed(request, progress, e.getCause(), started);
    } finally {
      // Nothing of a call may outlive it: the engine starts the next attempt once it returns.
      // A no-op for a call that ended; aborts one that did not (a timeout, an interrupt).
      stop(exchange, progress);
    }
  }

  private RunOutcome answered(
      DispatchRequest request,
      HttpResponse<CallProgress> response,
      CallProgress progress,
      long elapsed) {
    String excerpt = progress.excerpt().orElse(null);
    int status = response.statusCode();
    if (status == 202) {
      return RunOutcome.accepted(excerpt, elapsed);
    }
    if (status >= 200 && status < 300) {
      return RunOutcome.success(status, excerpt, elapsed);
    }
    return RunOutcome.failure(
            RunStatus.FAILED,
            OptionalInt.of(status),
            "http_status",
            "target answered HTTP " + status + " to " + request.target().method(),
            excerpt,
            elapsed)
        .withRetryAfter(
            RetryAfter.parse(response.headers().firstValue("Retry-After"), clock.instant()));
  }

  private static void stop(
      CompletableFuture<HttpResponse<CallProgress>> exchange, CallProgress progress) {
    // JDK 16 and later abort the exchange and close its connection on cancel(true)
    exchange.cancel(true);
    progress.abandon();
  }

  private RunOutcome timedOut(DispatchRequest request, CallProgress progress, long started) {
    long limit = request.target().timeout().toMillis();
    String message =
        switch (progress.stage()) {
          case CONNECTING ->
              progress.sendsBody()
                  ? "no connection to "
                      + request.target().url().getAuthority()
                      + " within "
                      + limit
                      + " ms"
                  : "no answer within " + limit + " ms (not connected, or no response headers)";
          case SENDING_BODY -> "connected, request body still going out after " + limit + " ms";
          case SENT -> "request sent, no response headers after " + limit + " ms";
          case HEADERS ->
              "HTTP "
                  + progress.status().orElse(0)
                  + " headers received, body still arriving after "
                  + limit
                  + " ms ("
                  + progress.bytesRead()
                  + " bytes read)";
        };
    return RunOutcome.failure(
        RunStatus.TIMEOUT,
        progress.status(),
        "timeout",
        message,
        progress.excerpt().orElse(null),
        Calls.millisSince(started));
  }

  private RunOutcome failed(
      DispatchRequest request, CallProgress progress, Throwable error, long started) {
    long elapsed = Calls.millisSince(started);
    if (Calls.has(error, HttpConnectTimeoutException.class)) {
      return Calls.failure(
          RunStatus.TIMEOUT,
          "timeout",
          "no connection to "
              + request.target().url().getAuthority()
              + " within the connect timeout of "
              + connectTimeout.toMillis()
              + " ms",
          progress,
          elapsed);
    }
    return Calls.networkFailure(request, progress, error, elapsed);
  }

  /**
   * Makes one throwaway call so that the client's code is loaded and compiled before the first real
   * fire: without it the first fire after a start leaves some 100 ms late. Never throws.
   */
  public void warmUp(URI url) {
    executor.execute(
        () -> {
          try {
            client.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
          } catch (IOException | RuntimeException e) {
            // only a warm-up: the first real call will pay the cost instead
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  private static HttpRequest build(DispatchRequest request, CallProgress progress, Instant now) {
    // A schedule without a payload (JSON null) sends no body, as GET and HEAD never do.
    boolean withBody = request.sendsBody();
    byte[] bytes = request.body();
    HttpRequest.BodyPublisher body =
        withBody
            ? progress.watch(HttpRequest.BodyPublishers.ofByteArray(bytes))
            : HttpRequest.BodyPublishers.noBody();
    // No HttpRequest.timeout: it covers only the wait for headers; call() bounds the whole call.
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.target().url())
            .method(request.target().method(), body)
            .header("User-Agent", Calls.USER_AGENT);
    if (withBody) {
      builder.header("Content-Type", "application/json");
    }
    request.target().headers().forEach(builder::setHeader);
    Calls.chimeHeaders(request, bytes, now).forEach(builder::setHeader);
    return builder.build();
  }

  @Override
  public void close() {
    client.shutdownNow();
    executor.shutdownNow();
  }
}
