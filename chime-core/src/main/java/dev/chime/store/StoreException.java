package dev.chime.store;

import dev.chime.ChimeException;

/** The database failed or could not be reached. Carries the SQL state for diagnosis. */
public class StoreException extends ChimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
