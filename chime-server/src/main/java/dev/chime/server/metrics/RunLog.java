package dev.chime.server.metrics;

import dev.chime.engine.EngineObserver;
import dev.chime.run.RunOrigin;
import dev.chime.run.RunOutcome;
import dev.chime.store.ResultStore.Completion;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per run whose end is on record, on the logger {@code chime.runs}: schedule, run,
 * attempt, status, lateness (first attempts of scheduled fires) and duration, as key=value pairs.
 * {@code CHIME_LOG_RUNS=off} sets that logger to WARN, keeping run outcomes out of the log.
 */
final class RunLog implements EngineObserver {
  private static final Logger log = LoggerFactory.getLogger("chime.runs");

  @Override
  public void ended(List<Completion> completions) {
    if (!log.isInfoEnabled()) {
      return;
    }
    for (Completion completion : completions) {
      RunOutcome outcome = completion.outcome();
      String lateness =
          completion.run().attempt() == 1 && completion.run().origin() == RunOrigin.SCHEDULE
              ? Long.toString(
                  Math.max(
                      0,
                      Duration.between(completion.run().scheduledAt(), completion.startedAt())
                          .toMillis()))
              : "-";
      log.info(
          "run ended tenant={} schedule={} run={} attempt={} status={} http={} error={}"
              + " lateness_ms={} duration_ms={}",
          completion.run().tenantId(),
          completion.run().scheduleId(),
          completion.run().runId(),
          completion.run().attempt(),
          outcome.status().wireName(),
          outcome.httpStatus().isPresent() ? outcome.httpStatus().getAsInt() : "-",
          outcome.errorCode().orElse("-"),
          lateness,
          outcome.durationMs());
    }
  }
}
