package dev.chime.dispatch;

import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Calls HTTP targets with Jetty's client, as {@link HttpDispatcher} does with the JDK's, for less
 * CPU a call: the same request, the same outcomes and error codes, the same bound on the whole call
 * and the same excerpt. A call is a success when the target answers 2xx; a 202 Accepted leaves the
 * run running until the target reports back; any other status, a timeout or a network error is a
 * failed run with an error code: {@code http_status}, {@code timeout}, {@code connection_refused},
 * {@code unknown_host}, {@code tls_error}, {@code io_error}.
 *
 * <p>A target's {@code timeout} bounds the whole call, from queueing for a connection to the last
 * byte of the excerpt: past it the exchange is aborted and its connection closed. When {@link
 * #call} returns, by an answer, a timeout or an interrupt, nothing of the call is left running.
 */
public final class JettyDispatcher implements Dispatcher {

  /** How long the rest of a body past the excerpt may take to be dropped, as OkHttp allows. */
  private static final Duration DRAIN_WAIT = Duration.ofMillis(100);

  /** How long an aborted exchange may take to let go of its connection. */
  private static final Duration ABORT_WAIT = Duration.ofSeconds(1);

  /**
   * Connections to one host and port: more than Chime ever has in flight to one (it bounds calls
   * per host itself, 64 by default), so that the pool is never the limit.
   */
  private static final int MAX_CONNECTIONS_PER_HOST = 1024;

  private static final int MAX_QUEUED_PER_HOST = 64 * 1024;

  /** How long an idle connection stays in the pool before Jetty closes it. */
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client;
  private final int excerptBytes;
  private final Clock clock;
  private final Duration connectTimeout;
  private final TargetGuard guard;

  public JettyDispatcher(Duration connectTimeout, int excerptBytes, Clock clock) {
    this(connectTimeout, excerptBytes, clock, TargetGuard.DEFAULT);
  }

  /** {@code guard} resolves target hosts and checks each address as it is connected to. */
  public JettyDispatcher(
      Duration connectTimeout, int excerptBytes, Clock clock, TargetGuard guard) {
    this.clock = clock;
    this.guard = guard;
    this.connectTimeout = connectTimeout;
    this.excerptBytes = excerptBytes;
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("chime-jetty");
    threads.setDaemon(true);
    ClientConnector connector = JettyGuard.connector(guard);
    connector.setSelectors(1);
    client = new HttpClient(new HttpClientTransportOverHTTP(connector));
    client.setSocketAddressResolver(JettyGuard.resolver(guard));
    client.setExecutor(threads);
    client.setScheduler(new ScheduledExecutorScheduler("chime-jetty-timeouts", true));
    client.setConnectTimeout(connectTimeout.toMillis());
    client.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    client.setFollowRedirects(false);
    client.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_HOST);
    client.setMaxRequestsQueuedPerDestination(MAX_QUEUED_PER_HOST);
    // a host called no more is forgotten once its last connection has been idle a while
    client.setDestinationIdleTimeout(IDLE_TIMEOUT.toMillis());
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, Calls.USER_AGENT));
    // As the JDK's client is used: no cookies kept between calls
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty's HTTP client did not start: " + e.getMessage(), e);
    }
    // and no authentication, redirect or 100-continue handled behind the call's back, nor gzip
    // asked for: the client adds its protocol handlers and decoders as it starts
    client.getProtocolHandlers().clear();
    client.getContentDecoderFactories().clear();
  }

  @Override
  public RunOutcome call(DispatchRequest request) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Optional<RunOutcome> refused = Calls.refused(request, guard);
    if (refused.isPresent()) {
      return refused.get();
    }
    JettyExchange exchange = new JettyExchange(excerptBytes);
    boolean withBody = request.sendsBody();
    Request jettyRequest;
    try {
      jettyRequest = build(request, withBody);
    } catch (IllegalArgumentException e) {
      return Calls.unsendable(e);
    }
    long started = System.nanoTime();
    long deadline = started + request.target().timeout().toNanos();
    exchange.send(jettyRequest);
    try {
      exchange.awaitExcerpt(deadline - System.nanoTime());
      // a short wait for the rest of a body a little past the excerpt, to keep its connection
      exchange.awaitEnd(Math.min(DRAIN_WAIT.toNanos(), deadline - System.nanoTime()));
      return answered(request, exchange, Calls.millisSince(started));
    } catch (TimeoutException e) {
      // stopped first, so that the message says where it stopped and the duration includes it
      exchange.abandon(() -> new TimeoutException("call timed out"), ABORT_WAIT.toNanos());
      return timedOut(request, exchange, withBody, started);
    } catch (InterruptedException e) {
      exchange.abandon(
          () -> new InterruptedException("the call was interrupted"), ABORT_WAIT.toNanos());
      Thread.interrupted(); // thrown instead
      throw e;
    } catch (ExecutionException e) {
      exchange.abandon(e::getCause, ABORT_WAIT.toNanos());
      return failed(request, exchange, withBody, e.getCause(), started);
    } finally {
      // Nothing of a call may outlive it: the engine starts the next attempt once it returns.
      // A no-op for a call that ended; aborts one that did not.
      exchange.abandon(() -> new CancellationException("the call returned"), ABORT_WAIT.toNanos());
    }
  }

  private RunOutcome answered(DispatchRequest request, JettyExchange exchange, long elapsed) {
    String excerpt = exchange.excerpt().orElse(null);
    int status = exchange.status().orElseThrow();
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
        .withRetryAfter(RetryAfter.parse(exchange.retryAfter(), clock.instant()));
  }

  private RunOutcome timedOut(
      DispatchRequest request, JettyExchange exchange, boolean withBody, long started) {
    long limit = request.target().timeout().toMillis();
    String message =
        switch (exchange.stage()) {
          // Jetty says when a request got its connection, with or without a body
          case CONNECTING ->
              "no connection to "
                  + request.target().url().getAuthority()
                  + " within "
                  + limit
                  + " ms";
          case SENDING_BODY ->
              withBody
                  ? "connected, request body still going out after " + limit + " ms"
                  : "connected, request still going out after " + limit + " ms";
          case SENT -> "request sent, no response headers after " + limit + " ms";
          case HEADERS ->
              "HTTP "
                  + exchange.status().orElse(0)
                  + " headers received, body still arriving after "
                  + limit
                  + " ms ("
                  + exchange.bytesRead()
                  + " bytes read)";
        };
    return RunOutcome.failure(
        RunStatus.TIMEOUT,
        exchange.status(),
        "timeout",
        message,
        exchange.excerpt().orElse(null),
        Calls.millisSince(started));
  }

  private RunOutcome failed(
      DispatchRequest request,
      JettyExchange exchange,
      boolean withBody,
      Throwable error,
      long started) {
    long elapsed = Calls.millisSince(started);
    boolean connecting = exchange.stage() == CallProgress.Stage.CONNECTING;
    if (connecting && Calls.has(error, SocketTimeoutException.class)) {
      return Calls.failure(
          RunStatus.TIMEOUT,
          "timeout",
          "no connection to "
              + request.target().url().getAuthority()
              + " within the connect timeout of "
              + connectTimeout.toMillis()
              + " ms",
          exchange,
          elapsed);
    }
    if (Calls.has(error, TimeoutException.class)) {
      // Jetty's own bound on the whole exchange, set to the target's timeout, came first
      return timedOut(request, exchange, withBody, started);
    }
    return Calls.networkFailure(request, exchange, error, elapsed);
  }

  /**
   * Makes one throwaway call so that the client's code is loaded and compiled before the first real
   * fire: without it the first fire after a start leaves some 100 ms late. Never throws.
   */
  public void warmUp(URI url) {
    try {
      client.newRequest(url).timeout(2, TimeUnit.SECONDS).send(result -> {});
    } catch (RuntimeException e) {
      // only a warm-up: the first real call will pay the cost instead
    }
  }

  private Request build(DispatchRequest request, boolean withBody) {
    Request built =
        client
            .newRequest(request.target().url())
            .method(request.target().method())
            .version(HttpVersion.HTTP_1_1)
            .followRedirects(false)
            .tag(JettyGuard.tag(request.allowList()))
            // Jetty's bound on the whole exchange, connect and body included; call() keeps its own
            .timeout(request.target().timeout().toMillis(), TimeUnit.MILLISECONDS);
    byte[] body = request.body();
    if (withBody) {
      built.body(new BytesRequestContent("application/json", body));
    }
    Instant now = clock.instant();
    return built.headers(
        headers -> {
          headers.put(HttpHeader.USER_AGENT, Calls.USER_AGENT);
          if (withBody) {
            headers.put(HttpHeader.CONTENT_TYPE, "application/json");
          }
          request.target().headers().forEach(headers::put);
          Calls.chimeHeaders(request, body, now).forEach(headers::put);
        });
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      // stopping aborts what is in flight; a failure to stop leaves nothing to do but go on
    }
  }
}
