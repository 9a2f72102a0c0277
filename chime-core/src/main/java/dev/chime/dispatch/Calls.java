package dev.chime.dispatch;

import dev.chime.run.Ids;
import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.TargetJson;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** What both HTTP dispatchers share: Chime's request headers and the naming of failures. */
final class Calls {
  static final String USER_AGENT = "Chime/0.1";

  private Calls() {}

  /**
   * Chime's own headers, in the order they are sent, after the target's; a signed request's end
   * with the Standard Webhooks headers, signing {@code body} as sent at {@code now}.
   */
  static Map<String, String> chimeHeaders(DispatchRequest request, byte[] body, Instant now) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Idempotency-Key", request.runKey());
    headers.put("Chime-Schedule-Id", request.scheduleId().toString());
    headers.put("Chime-Run-Id", request.runId().toString());
    headers.put("Chime-Scheduled-At", request.scheduledAt().toString());
    headers.put("Chime-Attempt", Integer.toString(request.attempt()));
    headers.put("Chime-Callback-Url", request.callbackUrl().toString());
    headers.put("Chime-Callback-Token", request.callbackToken());
    headers.put(
        "traceparent", "00-" + request.traceId() + "-" + Ids.spanIdOf(request.runId()) + "-01");
    if (!request.signingSecrets().isEmpty()) {
      headers.putAll(
          WebhookSignature.headers(
              request.signingSecrets(),
              WebhookSignature.messageId(request.runKey()),
              now.getEpochSecond(),
              body));
    }
    return headers;
  }

  static RunOutcome failure(
      RunStatus status, String code, String message, CallState state, long elapsed) {
    return RunOutcome.failure(
        status, state.status(), code, message, state.excerpt().orElse(null), elapsed);
  }

  /** A call that failed on the network, not by timing out: refused, TLS, unknown host, I/O. */
  static RunOutcome networkFailure(
      DispatchRequest request, CallState state, Throwable error, long elapsed) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TargetForbidden forbidden) {
        return forbidden(forbidden.getMessage());
      }
    }
    if (has(error, ConnectException.class)) {
      return failure(
          RunStatus.FAILED,
          "connection_refused",
          "could not connect to " + request.target().url().getAuthority() + " (connection refused)",
          state,
          elapsed);
    }
    if (has(error, SSLException.class)) {
      return failure(
          RunStatus.FAILED, "tls_error", "TLS failed: " + describe(error), state, elapsed);
    }
    if (has(error, UnknownHostException.class) || has(error, UnresolvedAddressException.class)) {
      return failure(
          RunStatus.FAILED,
          "unknown_host",
          "the host " + request.target().url().getHost() + " cannot be resolved",
          state,
          elapsed);
    }
    String during = state.stage() == CallProgress.Stage.HEADERS ? "reading the answer: " : "";
    return failure(RunStatus.FAILED, "io_error", during + describe(error), state, elapsed);
  }

  static boolean has(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A stored target that the HTTP client refuses to make a request of (a schedule written before
   * Chime checked what the clients accept): a final failure, said without the client's internals.
   */
  static RunOutcome unsendable(String reason) {
    return notCalled("invalid_target", "the request cannot be made: " + reason);
  }

  /** A call that was never made, and the reason: a failure with no status, answer or duration. */
  static RunOutcome notCalled(String code, String message) {
    return RunOutcome.failure(
        RunStatus.FAILED, java.util.OptionalInt.empty(), code, message, null, 0);
  }

  static RunOutcome unsendable(RuntimeException error) {
    return unsendable(describe(error));
  }

  /**
   * A stored target that no HTTP client may be given, or that the guard refuses from its URL alone,
   * or empty.
   */
  static java.util.Optional<RunOutcome> refused(DispatchRequest request, TargetGuard guard) {
    return TargetJson.unsendable(request.target())
        .map(Calls::unsendable)
        .or(
            () ->
                guard.refusalOf(request.target().url(), request.allowList()).map(Calls::forbidden));
  }

  /** A call the address policy refused: final, and no connection was opened. */
  static RunOutcome forbidden(String reason) {
    return notCalled("target_forbidden", "not called: " + reason);
  }

  /**
   * What went wrong, in the words of the failure's message without Java's: a failure without a
   * message is named by what it means, never by its class, and class names are cut from messages.
   */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof EOFException) {
      return "the connection closed before the answer was complete";
    }
    if (root instanceof ClosedChannelException) {
      return "the connection was closed";
    }
    String message =
        root.getMessage() == null ? "" : CLASS_NAME.matcher(root.getMessage()).replaceAll("");
    message = OBJECT_ID.matcher(message).replaceAll("");
    return message.isBlank() ? "the connection failed" : message.strip();
  }

  /** A qualified Java class name, such as java.io.IOException, with the colon after it. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?::\\s*)?");

  /** An object's identity in a message, such as HttpConnectionOverHTTP@1b2c3d4e. */
  private static final Pattern OBJECT_ID = Pattern.compile("\\S*@[0-9a-f]{4,}\\S*");

  static long millisSince(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }
}
