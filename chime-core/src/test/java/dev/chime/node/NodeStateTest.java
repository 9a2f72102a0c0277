package dev.chime.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeStateTest {
  @ParameterizedTest(name = "{0} ms since the heartbeat, stopped {1}: {2}")
  @CsvSource({
    // heartbeat every 5 s, lease 30 s
    "0, false, ALIVE",
    "5000, false, ALIVE",
    "10000, false, ALIVE",
    "10001, false, SUSPECT",
    "30000, false, SUSPECT",
    "30001, false, GONE",
    "0, true, GONE",
    "86400000, false, GONE",
  })
  void theStateFollowsTheHeartbeatsAge(long sinceMillis, boolean stopped, NodeState expected) {
    assertThat(
            NodeState.judge(
                Duration.ofMillis(sinceMillis),
                stopped,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30)))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "lease shorter than two heartbeats: {0} ms is {1}")
  @CsvSource({"1000, ALIVE", "1001, GONE"})
  void aLeaseShorterThanTwoHeartbeatsGoesStraightToGone(long sinceMillis, NodeState expected) {
    assertThat(
            NodeState.judge(
                Duration.ofMillis(sinceMillis),
                false,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1)))
        .isEqualTo(expected);
  }
}
