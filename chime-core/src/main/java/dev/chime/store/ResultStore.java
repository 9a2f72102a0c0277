package dev.chime.store;

import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

  /** A finished or accepted call. An accepted one keeps running until {@code asyncDeadline}. */
  public record Completion(
      RunRef run, RunOutcome outcome, Instant finishedAt, Instant asyncDeadline) {}

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
          try (PreparedStatement accepted =
              connection.prepareStatement(
                  "UPDATE runs SET http_status = 202, duration_ms = ?, response_excerpt = ?,"
                      + " deadline_at = ? WHERE id = ? AND status = 'running'")) {
            boolean anyAccepted = false;
            for (Completion completion : completions) {
              RunOutcome outcome = completion.outcome();
              if (outcome.isAccepted()) {
                accepted.setLong(1, outcome.durationMs());
                accepted.setString(2, outcome.responseExcerpt().orElse(null));
                dialect.setInstant(accepted, 3, completion.asyncDeadline());
                accepted.setString(4, completion.run().runId().toString());
                accepted.addBatch();
                anyAccepted = true;
              } else {
                closings.add(
                    new Finisher.Closing(completion.run(), outcome, completion.finishedAt()));
              }
            }
            if (anyAccepted) {
              accepted.executeBatch();
            }
          }
          if (!closings.isEmpty()) {
            finisher.finishAll(connection, closings);
          }
          return null;
        });
  }

  /**
   * Closes, as {@code timeout}, running runs whose deadline passed before {@code now}: their node
   * died mid-call, or an async target never reported. Each is retried by its policy. Returns how
   * many were closed.
   */
  public int expireOverdue(Instant now, int limit) {
    return db.inTransaction(
        connection -> {
          List<RunRef> overdue = new ArrayList<>();
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT "
                      + Finisher.CLOSING_COLUMNS
                      + " FROM runs r JOIN schedules s ON s.id = r.schedule_id"
                      + " WHERE r.status = 'running' AND r.deadline_at < ?"
                      + " ORDER BY r.deadline_at LIMIT ?"
                      + dialect.forUpdateSkipLocked("r"))) {
            dialect.setInstant(select, 1, now);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                overdue.add(finisher.readRunRef(rows));
              }
            }
          }
          if (!overdue.isEmpty()) {
            RunOutcome deadline =
                RunOutcome.failure(
                    RunStatus.TIMEOUT,
                    java.util.OptionalInt.empty(),
                    "deadline",
                    "no result by the run's deadline: the node running it stopped, or an async"
                        + " target never reported back",
                    null,
                    0);
            finisher.finishAll(
                connection,
                overdue.stream().map(run -> new Finisher.Closing(run, deadline, now)).toList());
          }
          return overdue.size();
        });
  }
}
