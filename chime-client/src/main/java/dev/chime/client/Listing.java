package dev.chime.client;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Everything a list call matches, fetched a page at a time as it is read. Each iteration (or
 * stream) starts again from the first page; a page is fetched only when the previous one is used
 * up, so {@code stream().limit(10)} reads one page.
 *
 * @param <T> what the list holds
 */
public final class Listing<T> implements Iterable<T> {
  private final Function<Optional<String>, Page<T>> fetch;

  Listing(Function<Optional<String>, Page<T>> fetch) {
    this.fetch = fetch;
  }

  /** The first page alone. */
  public Page<T> firstPage() {
    return fetch.apply(Optional.empty());
  }

  /** The page that follows the one whose {@code nextCursor} this is. */
  public Page<T> page(String cursor) {
    return fetch.apply(Optional.of(cursor));
  }

  /** Every item, reading every page. */
  public List<T> toList() {
    return stream().toList();
  }

  /** Every item as a sequential stream that fetches pages as it goes. */
  public Stream<T> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  @Override
  public Iterator<T> iterator() {
    return new Iterator<>() {
      private Page<T> page = null;
      private int next = 0;

      @Override
      public boolean hasNext() {
        while (page == null || next == page.items().size()) {
          if (page != null && page.nextCursor().isEmpty()) {
            return false;
          }
          page = fetch.apply(page == null ? Optional.empty() : page.nextCursor());
          next = 0;
        }
        return true;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.items().get(next++);
      }
    };
  }
}
