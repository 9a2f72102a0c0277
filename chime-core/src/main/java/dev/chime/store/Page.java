package dev.chime.store;

import java.util.List;
import java.util.Optional;

/** One page of a listing, and the cursor that fetches the next one, if there is more. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(items);
  }
}
