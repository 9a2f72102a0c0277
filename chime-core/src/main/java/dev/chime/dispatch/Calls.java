package dev.chime.dispatch;

import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;

/** What both HTTP dispatchers share: Chime's request headers and the naming of failures. */
final class Calls {
  static final String USER_AGENT = "Chime/0.1";

  private Calls() {}

  /** Chime's own headers, in the order they are sent, after the target's. */
  static Map<String, String> chimeHeaders(DispatchRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Idempotency-Key", request.runKey());
    headers.put("Chime-Schedule-Id", request.scheduleId().toString());
    headers.put("Chime-Run-Id", request.runId().toString());
    headers.put("Chime-Scheduled-At", request.scheduledAt().toString());
    headers.put("Chime-Attempt", Integer.toString(request.attempt()));
    headers.put("Chime-Callback-Url", request.callbackUrl().toString());
    headers.put("Chime-Callback-Token", request.callbackToken());
    headers.put(
        "traceparent",
        "00-"
            + request.traceId()
            + "-"
            + HexFormat.of().toHexDigits(request.runId().getLeastSignificantBits())
            + "-01");
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

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  static long millisSince(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
  }
}
