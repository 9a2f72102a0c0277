package dev.chime.dispatch;

import java.io.IOException;

/** Why a connection was not opened: the address policy refused the address it would go to. */
final class TargetForbidden extends IOException {
  TargetForbidden(String reason) {
    super(reason, null);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // an expected outcome, not a failure to trace
  }
}
