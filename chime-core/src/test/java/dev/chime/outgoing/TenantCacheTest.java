package dev.chime.outgoing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TenantCacheTest {
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  private String load(String tenant) {
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
    return tenant + "#" + loads.incrementAndGet();
  }

  @Test
  void onlyTheFirstUseWaitsAStaleValueIsUsedWhileItIsReadAgain() {
    TenantCache<String> cache = new TenantCache<>("the value", Duration.ZERO, this::load);

    assertThat(cache.get("a")).isEqualTo("a#1");
    // stale at once (fresh is zero): the call gets the last value, a background read replaces it
    assertThat(cache.get("a")).isEqualTo("a#1");
    await().untilAsserted(() -> assertThat(cache.get("a")).isNotEqualTo("a#1"));
  }

  @Test
  void aFailedReadKeepsTheLastValueAndAFirstReadThatFailsIsThrown() {
    TenantCache<String> cache = new TenantCache<>("the value", Duration.ZERO, this::load);
    assertThat(cache.get("a")).isEqualTo("a#1");
    failure.set(new IllegalStateException("the database is away"));

    assertThat(cache.get("a")).isEqualTo("a#1");
    await()
        .pollDelay(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(cache.get("a")).isEqualTo("a#1"));
    assertThatThrownBy(() -> cache.get("b")).hasMessage("the database is away");
  }

  @Test
  void aFreshValueIsKeptUntilInvalidated() {
    TenantCache<String> cache = new TenantCache<>("the value", Duration.ofHours(1), this::load);

    assertThat(cache.get("a")).isEqualTo("a#1");
    assertThat(cache.get("a")).isEqualTo("a#1");
    cache.invalidate("a");

    assertThat(cache.get("a")).isEqualTo("a#2");
  }
}
