package dev.chime.dispatch;

import dev.chime.run.RunOutcome;

/** Makes the call a run stands for. Blocking: the engine calls it on a virtual thread. */
public interface Dispatcher extends AutoCloseable {
  /**
   * Calls the target; never throws for anything the target or the network does. An interrupt aborts
   * the call and is thrown. When this returns or throws, nothing of the call is left running: no
   * read, no open exchange.
   */
  RunOutcome call(DispatchRequest request) throws InterruptedException;

  @Override
  void close();
}
