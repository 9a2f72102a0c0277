package dev.chime.server.tracing;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Ids for the span about to start on this thread: a fire's span must carry the trace id and span id
 * its call already sent in {@code traceparent}. Any other span gets random ones.
 */
final class GivenIds implements IdGenerator {
  private final ThreadLocal<String[]> next = new ThreadLocal<>();

  void next(String traceId, String spanId) {
    next.set(new String[] {traceId, spanId});
  }

  void clear() {
    next.remove();
  }

  @Override
  public String generateSpanId() {
    String[] given = next.get();
    return given == null ? IdGenerator.random().generateSpanId() : given[1];
  }

  @Override
  public String generateTraceId() {
    String[] given = next.get();
    return given == null ? IdGenerator.random().generateTraceId() : given[0];
  }
}
