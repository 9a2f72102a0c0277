package dev.chime.bench.peer;

import java.time.Instant;
import java.util.Map;

/**
 * One scheduler under test, embedded in this JVM on a database of its own: its schema made, its
 * no-op handler counting into {@link Executions}. Used in this order: {@link #start}, {@link
 * #register} (or {@link #registerSteady}), (the executions happen), {@link #stop}, {@link #check},
 * {@link #close}.
 */
interface Peer extends AutoCloseable {
  /** Creates the schema and starts the scheduler; nothing is due yet. */
  void start();

  /** Registers the round's jobs, every one due at {@code dueAt}. */
  void register(int jobs, Instant dueAt);

  /** Registers the jobs of a steady load, each recurring at a fixed rate from its first instant. */
  void registerSteady(SteadyLoad load);

  /** Stops the scheduler, letting executions under way finish and their completions be written. */
  void stop();

  /**
   * What the database holds once the scheduler stopped, by name, for the report: for Chime the run
   * rows by status, for the peers the rows they left behind.
   */
  Map<String, Long> check();

  /** The settings the scheduler ran with, for the report. */
  Map<String, String> settings();

  @Override
  void close();
}
