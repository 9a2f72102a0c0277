package dev.chime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.store.Definitions.Definition;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DefinitionsTest {
  private static Definition definition(long version, String payload) {
    return new Definition(version, "{}", "{}", payload, "{}");
  }

  @Test
  void aDefinitionIsFoundOnlyAtTheVersionItWasKeptAt() {
    Definitions cache = new Definitions(1_000);
    UUID id = UUID.randomUUID();
    cache.put(id, definition(3, "{\"a\":1}"));

    assertThat(cache.get(id, 3)).map(Definition::payloadJson).contains("{\"a\":1}");
    assertThat(cache.get(id, 4)).isEmpty();
    assertThat(cache.get(UUID.randomUUID(), 3)).isEmpty();

    cache.put(id, definition(4, "{\"a\":2}"));
    assertThat(cache.get(id, 3)).isEmpty();
    assertThat(cache.get(id, 4)).map(Definition::payloadJson).contains("{\"a\":2}");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void pastItsLimitOfCharactersTheLeastRecentlyUsedGoFirst() {
    // each definition here is 6 + 10 = 16 characters: eight fill the cache
    Definitions cache = new Definitions(128);
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    cache.put(a, definition(0, "0123456789"));
    cache.put(b, definition(0, "0123456789"));
    for (int i = 0; i < 6; i++) {
      cache.put(UUID.randomUUID(), definition(0, "0123456789"));
    }
    assertThat(cache.get(a, 0)).isPresent(); // a is now used more recently than b

    cache.put(c, definition(0, "0123456789"));

    assertThat(cache.get(b, 0)).isEmpty();
    assertThat(cache.get(a, 0)).isPresent();
    assertThat(cache.get(c, 0)).isPresent();
    assertThat(cache.size()).isEqualTo(8);
  }

  @Test
  void aDefinitionLargerThanTheWholeCacheIsNotKept() {
    Definitions cache = new Definitions(10);
    UUID id = UUID.randomUUID();
    cache.put(id, definition(0, "0123456789"));

    assertThat(cache.get(id, 0)).isEmpty();
    assertThat(cache.size()).isZero();

    // nor one larger than an eighth of it, which would push the others out: they stay, and an
    // older version of it goes
    Definitions larger = new Definitions(800);
    UUID small = UUID.randomUUID();
    larger.put(small, definition(0, "0123456789"));
    larger.put(id, definition(0, "0123456789"));
    larger.put(id, definition(1, "x".repeat(100)));
    assertThat(larger.get(id, 1)).isEmpty();
    assertThat(larger.get(id, 0)).isEmpty();
    assertThat(larger.get(small, 0)).isPresent();
    assertThat(larger.size()).isEqualTo(1);
    assertThatThrownBy(() -> new Definitions(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
