package dev.chime.server;

/**
 * Makes what has been committed so far reach the database's file before Chime acknowledges it: an
 * API answer to a write, or a call to a target for a run just started.
 */
interface WriteFlush {
  /** For databases whose commit is already durable when it returns (PostgreSQL, MariaDB). */
  WriteFlush NONE = () -> {};

  /** Returns once every transaction committed before the call is in the database's file. */
  void awaitWritten() throws InterruptedException;

  /** The flush for a database URL: {@link H2Flush} for an H2 database that is not in memory. */
  static WriteFlush forUrl(String jdbcUrl, H2Flush.Checkpoint checkpoint) {
    boolean h2File = jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:");
    return h2File ? new H2Flush(checkpoint) : NONE;
  }
}
