package dev.chime.dispatch;

import java.util.Optional;
import java.util.OptionalInt;

/** How far one call got, as either HTTP client follows it: what a failure's outcome reports. */
interface CallState {
  CallProgress.Stage stage();

  OptionalInt status();

  Optional<String> excerpt();
}
