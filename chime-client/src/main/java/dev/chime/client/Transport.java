package dev.chime.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Sends one call to the API and reads its answer: JSON in and out, the token on every request, an
 * error answer turned into its exception. GET, PUT and DELETE are tried again when no answer came
 * or Chime answered 502, 503 or 504 (after the {@code Retry-After} it asked for, when that is no
 * longer than the settings allow); POST and PATCH never are, since a call whose answer was lost may
 * have been done.
 */
final class Transport implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE");
  private static final Set<Integer> TRY_AGAIN = Set.of(502, 503, 504);
  private static final String USER_AGENT = "chime-client/0.1";

  private final ClientSettings settings;
  private final HttpClient http;

  Transport(ClientSettings settings) {
    this.settings = settings;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The answer's JSON ({@link MissingNode} for none), or the error it stands for. */
  JsonNode call(String method, String path, Optional<JsonNode> body, String contentType) {
    String call = method + " " + path;
    HttpRequest request = request(method, path, body, contentType);
    boolean idempotent = IDEMPOTENT.contains(method);
    for (int attempt = 1; ; attempt++) {
      boolean last = !idempotent || attempt >= settings.maxAttempts();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (last) {
          throw unanswered(call, attempt, e);
        }
        pause(backoff(attempt), call);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChimeConnectionException(call + ": interrupted", false, e);
      }
      int status = response.statusCode();
      if (status < 400) {
        return json(response.body(), call);
      }
      Optional<Duration> retryAfter =
          RetryAfter.parse(response.headers().firstValue("Retry-After"), settings.clock());
      if (!last && TRY_AGAIN.contains(status)) {
        Duration wait = retryAfter.orElse(backoff(attempt));
        if (wait.compareTo(settings.maxRetryWait()) <= 0) {
          pause(wait, call);
          continue;
        }
      }
      throw Problems.exception(
          call, AnswerCodec.problem(status, problemBody(response), retryAfter));
    }
  }

  private HttpRequest request(
      String method, String path, Optional<JsonNode> body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(settings.resolve(path))
            .timeout(settings.requestTimeout())
            .header("Accept", "application/json, application/problem+json")
            .header("User-Agent", USER_AGENT);
    settings.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
    if (body.isPresent()) {
      request.header("Content-Type", contentType);
      request.method(method, HttpRequest.BodyPublishers.ofString(body.get().toString()));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return request.build();
  }

  private ChimeConnectionException unanswered(String call, int attempts, IOException e) {
    boolean timedOut = e instanceof HttpTimeoutException;
    String what =
        timedOut
            ? "no answer within " + settings.requestTimeout().toMillis() + " ms"
            : "no answer from " + settings.baseUrl() + " (" + describe(e) + ")";
    String tries = attempts > 1 ? ", after " + attempts + " attempts" : "";
    return new ChimeConnectionException(call + ": " + what + tries, timedOut, e);
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "could not connect";
    }
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  private Duration backoff(int attempt) {
    Duration wait = settings.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
    Duration cap = Duration.ofSeconds(5);
    return wait.compareTo(cap) > 0 ? cap : wait;
  }

  private static void pause(Duration wait, String call) {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChimeConnectionException(call + ": interrupted while waiting to retry", false, e);
    }
  }

  private static JsonNode json(String body, String call) {
    if (body.isEmpty()) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ChimeException(call + ": the answer is not JSON: " + excerpt(body), e);
    }
  }

  /** The problem's JSON; an answer that is not JSON becomes a problem whose detail it is. */
  private static JsonNode problemBody(HttpResponse<String> response) {
    String body = response.body();
    try {
      JsonNode node = body.isEmpty() ? null : MAPPER.readTree(body);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JsonProcessingException e) {
      // not problem+json: a proxy's page, say; its text is the detail
    }
    return MAPPER.createObjectNode().set("detail", TextNode.valueOf(excerpt(body)));
  }

  private static String excerpt(String body) {
    String line = body.strip().replaceAll("\\s+", " ");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  @Override
  public void close() {
    http.close();
  }
}
