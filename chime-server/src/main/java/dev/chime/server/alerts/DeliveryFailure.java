package dev.chime.server.alerts;

/**
 * A message a channel did not take: the reason in words safe to log and to show (never a URL's
 * token or a password), and whether trying again may help.
 */
final class DeliveryFailure extends Exception {
  private final boolean retryable;

  DeliveryFailure(String reason, boolean retryable) {
    super(reason, null, false, false);
    this.retryable = retryable;
  }

  boolean retryable() {
    return retryable;
  }
}
