package dev.chime.engine;

import dev.chime.store.ResultStore.Completion;
import java.util.List;

/**
 * What the engine tells whoever watches it (the server's metrics): runs whose end is on record,
 * runs it recorded as skipped, its claims and its result writes. Called on the engine's own
 * threads; an observer must be quick and must not throw.
 */
public interface EngineObserver {
  /** An observer that watches nothing. */
  EngineObserver NONE = new EngineObserver() {};

  /** Calls that ended and whose results are now written. */
  default void ended(List<Completion> completions) {}

  /** A scheduled instant recorded as skipped, with its reason ({@code overlap}, {@code missed}). */
  default void skipped(String tenantId, String reason) {}

  /** One claim: how many schedules and queued runs it took, and how long it took. */
  default void claimed(int schedules, int runs, long nanos) {}

  /** One write of run results: how many, and how long it took. */
  default void resultsWritten(int results, long nanos) {}

  /** Observers told of everything in turn. */
  static EngineObserver all(EngineObserver... observers) {
    List<EngineObserver> each = List.of(observers);
    return new EngineObserver() {
      @Override
      public void ended(List<Completion> completions) {
        each.forEach(o -> o.ended(completions));
      }

      @Override
      public void skipped(String tenantId, String reason) {
        each.forEach(o -> o.skipped(tenantId, reason));
      }

      @Override
      public void claimed(int schedules, int runs, long nanos) {
        each.forEach(o -> o.claimed(schedules, runs, nanos));
      }

      @Override
      public void resultsWritten(int results, long nanos) {
        each.forEach(o -> o.resultsWritten(results, nanos));
      }
    };
  }
}
