package dev.chime.dispatch;

import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLException;

/**
 * Calls HTTP targets with the JDK's client. A call is a success when the target answers 2xx; a 202
 * Accepted leaves the run running until the target reports back on the callback URL; any other
 * status, a timeout or a network error is a failed run with an error code: {@code http_status},
 * {@code timeout}, {@code connection_refused}, {@code unknown_host}, {@code tls_error}, {@code
 * io_error}.
 */
public final class HttpDispatcher implements Dispatcher {
  private static final String USER_AGENT = "Chime/0.1";

  private final HttpClient client;
  private final ExecutorService executor;
  private final int excerptBytes;
  private final Clock clock;

  public HttpDispatcher(Duration connectTimeout, int excerptBytes, Clock clock) {
    this.clock = clock;
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
    HttpRequest httpRequest = build(request);
    long started = System.nanoTime();
    try {
      HttpResponse<InputStream> response =
          client.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
      String excerpt;
      try (InputStream body = response.body()) {
        excerpt = excerpt(body);
      }
      long elapsed = millisSince(started);
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
    } catch (HttpConnectTimeoutException e) {
      return failure(RunStatus.TIMEOUT, "timeout", "connecting to the target timed out", started);
    } catch (HttpTimeoutException e) {
      return failure(
          RunStatus.TIMEOUT,
          "timeout",
          "no answer within " + request.target().timeout().toMillis() + " ms",
          started);
    } catch (ConnectException e) {
      return failure(
          RunStatus.FAILED,
          "connection_refused",
          "could not connect to " + request.target().url().getAuthority() + " (connection refused)",
          started);
    } catch (SSLException e) {
      return failure(RunStatus.FAILED, "tls_error", "TLS failed: " + describe(e), started);
    } catch (IOException e) {
      if (isUnknownHost(e)) {
        return failure(
            RunStatus.FAILED,
            "unknown_host",
            "the host " + request.target().url().getHost() + " cannot be resolved",
            started);
      }
      return failure(RunStatus.FAILED, "io_error", describe(e), started);
    }
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

  private HttpRequest build(DispatchRequest request) {
    // A schedule without a payload (JSON null) sends no body, as GET and HEAD never do.
    boolean withBody = request.target().sendsBody() && !request.payloadJson().equals("null");
    HttpRequest.BodyPublisher body =
        withBody
            ? HttpRequest.BodyPublishers.ofString(request.payloadJson(), StandardCharsets.UTF_8)
            : HttpRequest.BodyPublishers.noBody();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.target().url())
            .timeout(request.target().timeout())
            .method(request.target().method(), body)
            .header("User-Agent", USER_AGENT);
    if (withBody) {
      builder.header("Content-Type", "application/json");
    }
    request.target().headers().forEach(builder::setHeader);
    builder
        .setHeader("Idempotency-Key", request.runKey())
        .setHeader("Chime-Schedule-Id", request.scheduleId().toString())
        .setHeader("Chime-Run-Id", request.runId().toString())
        .setHeader("Chime-Scheduled-At", request.scheduledAt().toString())
        .setHeader("Chime-Attempt", Integer.toString(request.attempt()))
        .setHeader("Chime-Callback-Url", request.callbackUrl().toString())
        .setHeader("Chime-Callback-Token", request.callbackToken())
        .setHeader("traceparent", "00-" + request.traceId() + "-" + spanId(request) + "-01");
    return builder.build();
  }

  private static String spanId(DispatchRequest request) {
    return String.format("%016x", request.runId().getLeastSignificantBits());
  }

  private String excerpt(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(excerptBytes);
    if (bytes.length == 0) {
      return null;
    }
    // The rest of the body is left unread: closing the stream drops it.
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static RunOutcome failure(RunStatus status, String code, String message, long started) {
    return RunOutcome.failure(
        status, OptionalInt.empty(), code, message, null, millisSince(started));
  }

  private static boolean isUnknownHost(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  private static long millisSince(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }

  @Override
  public void close() {
    client.shutdownNow();
    executor.shutdownNow();
  }
}
