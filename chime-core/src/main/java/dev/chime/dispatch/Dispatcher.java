package dev.chime.dispatch;

import dev.chime.run.RunOutcome;

/** Makes the call a run stands for. Blocking: the engine calls it on a virtual thread. */
public interface Dispatcher extends AutoCloseable {
  /** Calls the target; never throws for anything the target or the network does. */
  RunOutcome call(DispatchRequest request) throws InterruptedException;

  @Override
  void close();
}
