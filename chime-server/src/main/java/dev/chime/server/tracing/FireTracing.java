package dev.chime.server.tracing;

import dev.chime.engine.EngineObserver;
import dev.chime.run.Ids;
import dev.chime.run.RunStatus;
import dev.chime.store.ResultStore.Completion;
import dev.chime.store.RunRef;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a span per fire to OpenTelemetry, configured by the standard {@code OTEL_*} variables
 * alone (the SDK's autoconfiguration) and off unless one of them names where spans go. The span of
 * a call has the run's trace id and the span id its {@code traceparent} gave the target, so the
 * target's own spans join the fire's trace as its children.
 *
 * <p>The engine tells of ended calls on its result writer's thread; they are handed to one thread
 * of this exporter, which reads their trace ids (one query a batch) and makes their spans, so the
 * writer never waits on it. When that thread falls behind by {@link #QUEUE} calls, more are dropped
 * (and counted in the log) rather than held.
 */
public final class FireTracing implements EngineObserver, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FireTracing.class);
  static final int QUEUE = 10_000;
  private static final List<String> SWITCHES =
      List.of(
          "OTEL_EXPORTER_OTLP_ENDPOINT",
          "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
          "OTEL_TRACES_EXPORTER");

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final GivenIds ids;
  private final Function<List<RunRef>, Map<UUID, String>> traceIds;
  private final BlockingQueue<Completion> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread thread;
  private volatile boolean closing;
  private long dropped;

  private FireTracing(
      OpenTelemetrySdk sdk, GivenIds ids, Function<List<RunRef>, Map<UUID, String>> traceIds) {
    this.sdk = sdk;
    this.tracer = sdk.getTracer("dev.chime", dev.chime.server.ChimeVersion.current());
    this.ids = ids;
    this.traceIds = traceIds;
    this.thread = Thread.ofVirtual().name("chime-otel-spans").unstarted(this::run);
  }

  /** Whether the {@code OTEL_*} variables ask for spans to be exported. */
  public static boolean wanted(Map<String, String> otel) {
    if ("true".equalsIgnoreCase(otel.getOrDefault("OTEL_SDK_DISABLED", ""))) {
      return false;
    }
    String exporter = otel.getOrDefault("OTEL_TRACES_EXPORTER", "").trim();
    return SWITCHES.stream().anyMatch(otel::containsKey) && !exporter.equals("none");
  }

  /**
   * The exporter the {@code OTEL_*} variables describe, started; empty when they ask for none.
   * {@code traceIds} reads the trace ids of runs by their key.
   */
  public static Optional<FireTracing> start(
      Map<String, String> otel, Function<List<RunRef>, Map<UUID, String>> traceIds) {
    if (!wanted(otel)) {
      return Optional.empty();
    }
    GivenIds ids = new GivenIds();
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties(otel))
            .addTracerProviderCustomizer((builder, config) -> builder.setIdGenerator(ids))
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    FireTracing tracing = new FireTracing(sdk, ids, traceIds);
    tracing.thread.start();
    log.info("OpenTelemetry: a span per fire is exported as the OTEL_* variables say");
    return Optional.of(tracing);
  }

  /**
   * The variables as the SDK's properties ({@code OTEL_BSP_SCHEDULE_DELAY} is {@code
   * otel.bsp.schedule.delay}), with Chime's defaults under them: service {@code chime}, OTLP over
   * HTTP with protobuf (the JDK's client sends it), and no metrics or logs (Prometheus has those).
   */
  static Map<String, String> properties(Map<String, String> otel) {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.service.name", "chime");
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    otel.forEach(
        (name, value) ->
            properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value.trim()));
    return properties;
  }

  @Override
  public void ended(List<Completion> completions) {
    for (Completion completion : completions) {
      if (!completion.outcome().isAccepted() && !queue.offer(completion)) {
        dropped++;
        if (Long.bitCount(dropped) == 1) {
          log.warn("OpenTelemetry: {} fire span(s) dropped, the exporter is behind", dropped);
        }
      }
    }
  }

  private void run() {
    List<Completion> batch = new ArrayList<>();
    while (!closing || !queue.isEmpty()) {
      try {
        Completion first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 499);
        export(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable e) {
        log.warn("OpenTelemetry: {} fire span(s) not exported: {}", batch.size(), e.toString());
      } finally {
        batch.clear();
      }
    }
  }

  private void export(List<Completion> batch) {
    Map<UUID, String> traces = traceIds.apply(batch.stream().map(Completion::run).toList());
    for (Completion completion : batch) {
      String traceId = traces.get(completion.run().runId());
      if (traceId != null) {
        span(completion, traceId);
      }
    }
  }

  private void span(Completion completion, String traceId) {
    RunRef run = completion.run();
    Span span;
    ids.next(traceId, Ids.spanIdOf(run.runId()));
    try {
      span =
          tracer
              .spanBuilder("chime fire")
              .setNoParent()
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(completion.startedAt())
              .setAttribute("chime.tenant", run.tenantId())
              .setAttribute("chime.schedule.id", run.scheduleId().toString())
              .setAttribute("chime.run.id", run.runId().toString())
              .setAttribute("chime.run.key", run.runKey())
              .setAttribute("chime.run.attempt", run.attempt())
              .setAttribute("chime.run.origin", run.origin().wireName())
              .setAttribute("chime.scheduled_at", run.scheduledAt().toString())
              .startSpan();
    } finally {
      ids.clear();
    }
    RunStatus status = completion.outcome().status();
    span.setAttribute("chime.run.status", status.wireName());
    completion
        .outcome()
        .httpStatus()
        .ifPresent(
            code ->
                span.setAttribute(AttributeKey.longKey("http.response.status_code"), (long) code));
    if (status != RunStatus.SUCCESS) {
      completion.outcome().errorCode().ifPresent(code -> span.setAttribute("error.type", code));
      span.setStatus(StatusCode.ERROR, completion.outcome().errorCode().orElse(status.wireName()));
    }
    span.end(completion.finishedAt());
  }

  /** Sends what is waiting (up to five seconds), then stops. */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sdk.shutdown().join(5, TimeUnit.SECONDS);
  }
}
