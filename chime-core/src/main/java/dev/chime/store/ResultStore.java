package dev.chime.store;

import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.TargetJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The ends of runs the engine started: results of calls, written in batches, and runs left running
 * past their deadline, closed as timeouts. Each end goes through the {@link Finisher}, which
 * applies the schedule's policies in the same transaction.
 */
public final class ResultStore {
  private final Database db;
  private final Dialect dialect;
  private final Finisher finisher;

  ResultStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
    this.finisher = new Finisher(dialect);
  }

  /**
   * A finished or accepted call, with when it really went out. An accepted one keeps running until
   * {@code asyncDeadline}.
   */
  public record Completion(
      RunRef run,
      RunOutcome outcome,
      Instant startedAt,
      Instant finishedAt,
      Instant asyncDeadline) {}

  /**
   * Writes finished calls, all in one transaction, applying each schedule's policies (retries,
   * failure streak, switching off). A call the target accepted (202) stays running, now with the
   * longer async deadline.
   */
  public void complete(List<Completion> completions) {
    if (completions.isEmpty()) {
      return;
    }
    db.inTransaction(
        connection -> {
          List<Finisher.Closing> closings = new ArrayList<>();
          List<Completion> accepted = new ArrayList<>();
          for (Completion completion : completions) {
            if (completion.outcome().isAccepted()) {
              accepted.add(completion);
            } else {
              closings.add(
                  new Finisher.Closing(
                      completion.run(),
                      completion.outcome(),
                      completion.finishedAt(),
                      Optional.of(completion.startedAt())));
            }
          }
          finisher.finishAll(connection, closings);
          markAccepted(connection, accepted);
          return null;
        });
  }

  private void markAccepted(Connection connection, List<Completion> accepted) throws SQLException {
    if (accepted.isEmpty()) {
      return;
    }
    List<Completion> ordered = Statements.inIdOrder(accepted, c -> c.run().runId());
    // the call is over: the run is no node's any more, it waits for its callback or deadline
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE runs SET http_status = 202, duration_ms = ?, response_excerpt = ?,"
                + " started_at = ?, deadline_at = ?, lease_owner = NULL"
                + " WHERE id = ? AND status = 'running'"
                + Statements.NEAR_INSTANT)) {
      for (Completion completion : ordered) {
        RunOutcome outcome = completion.outcome();
        update.setLong(1, outcome.durationMs());
        update.setString(2, outcome.responseExcerpt().orElse(null));
        dialect.setInstant(update, 3, completion.startedAt());
        dialect.setInstant(update, 4, completion.asyncDeadline());
        update.setString(5, completion.run().runId().toString());
        Statements.bindNear(dialect, update, 6, completion.run().scheduledAt());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /**
   * Closes the running runs whose deadline passed before {@code now}, leaving alone those in {@code
   * alive} (calls this node is still making). A run some node was calling (its lease owner is set)
   * lost that node before it recorded a result: it ends {@code failed} ({@code node_lost}) and its
   * next attempt is due at once, so a dead node's calls are sent again within its lease. A run that
   * no node holds was accepted (202) and its target never reported back: it ends {@code timeout}
   * ({@code deadline}) and is retried after the policy's wait. Returns how many were closed.
   */
  public int expireOverdue(Instant now, int limit, Predicate<UUID> alive) {
    return closeRunning(
        "r.status = 'running' AND r.deadline_at < ? ORDER BY r.deadline_at",
        List.of(now),
        limit,
        alive,
        now,
        (overdue, durationMs) ->
            overdue.checkin()
                ? missedCheckin(overdue.run(), now)
                : overdue
                    .owner()
                    .map(
                        owner ->
                            lostWithNode(
                                "node_lost",
                                "the node making this call ("
                                    + owner
                                    + ") stopped before it recorded a result",
                                durationMs))
                    .orElseGet(
                        () ->
                            RunOutcome.failure(
                                RunStatus.TIMEOUT,
                                OptionalInt.empty(),
                                "deadline",
                                "no report from the target by the run's deadline after it accepted"
                                    + " the call (202)",
                                null,
                                durationMs)));
  }

  /**
   * Closes the runs a node left running when it stopped without finishing them (it was killed):
   * called by a node started again under the same id, which knows none of them is still alive. Each
   * ends {@code failed} ({@code node_restarted}) and its next attempt is due at once.
   */
  public int closeOrphans(String owner, Instant now, int limit) {
    return closeRunning(
        "r.status = 'running' AND r.lease_owner = ? ORDER BY r.id",
        List.of(owner),
        limit,
        id -> false,
        now,
        (overdue, durationMs) ->
            lostWithNode(
                "node_restarted",
                "the node making this call (" + owner + ") stopped before it recorded a result",
                durationMs));
  }

  /**
   * A check-in's run that no ping closed by its deadline: the job did not report. Not retried:
   * another attempt would wait for a ping that belongs to this instant too.
   */
  private static RunOutcome missedCheckin(RunRef run, Instant now) {
    return RunOutcome.failure(
        RunStatus.FAILED,
        OptionalInt.empty(),
        "missed",
        "no ping by the deadline " + now + " for the instant " + run.scheduledAt(),
        null,
        Math.max(0, Duration.between(run.scheduledAt(), now).toMillis()));
  }

  /**
   * A call whose node died under it: Chime cannot know whether it went out, so the next attempt
   * (the policy's attempts allowing) is sent at once instead of after the policy's wait.
   */
  private static RunOutcome lostWithNode(String code, String message, long durationMs) {
    return RunOutcome.failure(
            RunStatus.FAILED, OptionalInt.empty(), code, message, null, durationMs)
        .withRetryAfter(Optional.of(Duration.ZERO));
  }

  /** The outcome a closed run gets, from what the database said of it. */
  @FunctionalInterface
  private interface Verdict {
    RunOutcome of(Overdue overdue, long durationMs);
  }

  private int closeRunning(
      String where,
      List<Object> params,
      int limit,
      Predicate<UUID> alive,
      Instant now,
      Verdict verdict) {
    return db.inTransaction(
        connection -> {
          List<Overdue> candidates = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT "
                      + Finisher.CLOSING_COLUMNS
                      + ", r.started_at, r.lease_owner, s.target_json FROM runs r JOIN schedules s"
                      + " ON s.id = r.schedule_id WHERE "
                      + where
                      + Statements.limit(limit))) {
            int i = 1;
            for (Object param : params) {
              if (param instanceof Instant instant) {
                dialect.setInstant(select, i++, instant);
              } else {
                select.setString(i++, param.toString());
              }
            }
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                RunRef ref = finisher.readRunRef(rows);
                if (!alive.test(ref.runId())) {
                  candidates.add(
                      new Overdue(
                          ref,
                          dialect.getInstant(rows, "started_at"),
                          Optional.ofNullable(rows.getString("lease_owner")),
                          rows.getString("target_json").contains("\"checkin\"")
                              && TargetJson.stored(rows.getString("target_json")).isCheckin()));
                }
              }
            }
          }
          if (candidates.isEmpty()) {
            return 0;
          }
          // schedules first, then the runs (Finisher re-checks each is still running)
          List<Finisher.Closing> closings = new ArrayList<>();
          for (Overdue overdue : candidates) {
            long durationMs =
                overdue
                    .startedAt()
                    .map(s -> Math.max(0, Duration.between(s, now).toMillis()))
                    .orElse(0L);
            closings.add(new Finisher.Closing(overdue.run(), verdict.of(overdue, durationMs), now));
          }
          List<Finisher.Result> results = finisher.finishAll(connection, closings);
          return (int) results.stream().filter(r -> r != Finisher.Result.NOT_RUNNING).count();
        });
  }

  private record Overdue(
      RunRef run, Optional<Instant> startedAt, Optional<String> owner, boolean checkin) {}
}
