package dev.chime.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Whether the node wrote down what it did: the run rows of the window's fires by status, and
 * whether every call the target received has a finished run row, and how many as {@code success}.
 */
record RunCheck(
    Map<String, Long> byStatus,
    Map<String, String> failures,
    long rows,
    boolean settled,
    long waitedMillis,
    long receivedRuns,
    long receivedWithFinishedRow,
    long receivedWithSuccessRow,
    long receivedWithoutRow) {

  private static final Set<String> UNFINISHED = Set.of("queued", "running");

  /**
   * Waits, at most {@code limit}, until no run of the window is queued or running and at least
   * {@code expected} have finished; returns how long it waited and whether that happened.
   */
  static Settling awaitSettled(
      BenchDatabase db, Instant from, Instant to, long expected, Duration limit)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (true) {
      Map<String, Long> counts = db.runStatusCounts(from, to);
      long unfinished = 0;
      long finished = 0;
      for (Map.Entry<String, Long> entry : counts.entrySet()) {
        if (UNFINISHED.contains(entry.getKey())) {
          unfinished += entry.getValue();
        } else {
          finished += entry.getValue();
        }
      }
      long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
      if (unfinished == 0 && finished >= expected) {
        return new Settling(true, waited);
      }
      if (System.nanoTime() > deadline) {
        return new Settling(false, waited);
      }
      Thread.sleep(250);
    }
  }

  record Settling(boolean settled, long waitedMillis) {}

  static RunCheck of(
      BenchDatabase db, Instant from, Instant to, Settling settling, Set<String> receivedRunIds) {
    Map<String, String> statuses = db.runStatuses(from, to);
    long finished = 0;
    long withSuccess = 0;
    long withoutRow = 0;
    for (String runId : receivedRunIds) {
      String status = statuses.get(runId);
      if (status == null) {
        withoutRow++;
        continue;
      }
      if (!UNFINISHED.contains(status)) {
        finished++;
      }
      if (status.equals("success")) {
        withSuccess++;
      }
    }
    return new RunCheck(
        db.runStatusCounts(from, to),
        db.runFailures(from, to),
        statuses.size(),
        settling.settled(),
        settling.waitedMillis(),
        receivedRunIds.size(),
        finished,
        withSuccess,
        withoutRow);
  }

  /** Every received call has a finished run row: its result was written. */
  boolean allWritten() {
    return receivedRuns > 0 && receivedWithFinishedRow == receivedRuns;
  }
}
