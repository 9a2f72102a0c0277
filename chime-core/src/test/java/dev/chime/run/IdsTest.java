package dev.chime.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void aRunIdIsAVersion7UuidThatCarriesItsMillisecond() {
    Instant now = Instant.parse("2026-12-01T23:40:00.123456Z");
    UUID id = Ids.newId(now);
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
  }

  @Test
  void idsOfLaterMillisecondsSortAfterEarlierOnesAsTextAndNoneRepeats() {
    Instant start = Instant.parse("2026-12-01T23:59:59.990Z");
    List<String> ids = new ArrayList<>();
    for (int ms = 0; ms < 40; ms++) {
      for (int i = 0; i < 500; i++) {
        ids.add(Ids.newId(start.plusMillis(ms)).toString());
      }
    }
    for (int i = 500; i < ids.size(); i += 500) {
      String lastOfPrevious = ids.subList(i - 500, i).stream().max(String::compareTo).orElseThrow();
      String firstOfThis = ids.subList(i, i + 500).stream().min(String::compareTo).orElseThrow();
      assertThat(firstOfThis).isGreaterThan(lastOfPrevious);
    }
    assertThat(new HashSet<>(ids)).hasSize(ids.size());
  }

  @Test
  void theSpanIdOfARunIsNeverZero() {
    for (int i = 0; i < 1000; i++) {
      assertThat(Ids.spanIdOf(Ids.newId(Instant.EPOCH))).isNotEqualTo("0000000000000000");
    }
  }
}
