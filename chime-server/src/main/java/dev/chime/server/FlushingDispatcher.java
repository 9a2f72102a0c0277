package dev.chime.server;

import dev.chime.dispatch.DispatchRequest;
import dev.chime.dispatch.Dispatcher;
import dev.chime.run.RunOutcome;

/**
 * Puts the run's start on disk before its call goes out. The engine commits the run row and the
 * schedule's next instant before it calls; if that commit were lost to a kill, a restarted node
 * would send the same attempt again as a new run.
 */
final class FlushingDispatcher implements Dispatcher {
  private final Dispatcher dispatcher;
  private final WriteFlush flush;

  FlushingDispatcher(Dispatcher dispatcher, WriteFlush flush) {
    this.dispatcher = dispatcher;
    this.flush = flush;
  }

  @Override
  public RunOutcome call(DispatchRequest request) throws InterruptedException {
    flush.awaitWritten();
    return dispatcher.call(request);
  }

  @Override
  public void close() {
    dispatcher.close();
  }
}
