package dev.chime.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a list, as the API answers it.
 *
 * @param items the page's items, in the list's order
 * @param nextCursor what to ask for the next page with; empty on the last page
 * @param <T> what the list holds
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
  /** Copies the items. */
  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }
}
