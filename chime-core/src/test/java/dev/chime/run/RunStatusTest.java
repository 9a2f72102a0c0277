package dev.chime.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunStatusTest {
  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource({
    "QUEUED, RUNNING, true",
    "QUEUED, CANCELLED, true",
    "QUEUED, SUCCESS, false",
    "RUNNING, SUCCESS, true",
    "RUNNING, FAILED, true",
    "RUNNING, TIMEOUT, true",
    "RUNNING, CANCELLED, true",
    "RUNNING, QUEUED, true",
    "SUCCESS, FAILED, false",
    "FAILED, RUNNING, false",
    "SKIPPED, RUNNING, false",
    "CANCELLED, RUNNING, false"
  })
  void onlyTheMovesInTheTableAreAllowed(RunStatus from, RunStatus to, boolean allowed) {
    assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    if (!allowed) {
      assertThatThrownBy(() -> from.checkMove(to))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("a run cannot move from " + from + " to " + to);
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}: retried {3}")
  @CsvSource({
    "FAILED, 500, http_status, true",
    "FAILED, 503, http_status, true",
    "FAILED, 408, http_status, true",
    "FAILED, 429, http_status, true",
    "FAILED, 404, http_status, false",
    "FAILED, 400, http_status, false",
    "TIMEOUT, , timeout, true",
    "TIMEOUT, , deadline, true",
    "FAILED, , connection_refused, true",
    "FAILED, , unknown_host, true",
    "FAILED, , io_error, true",
    "FAILED, , shutdown, true",
    "FAILED, 202, reported_failure, true",
    "FAILED, , tls_error, false",
    "FAILED, , internal_error, false",
    "CANCELLED, , overlap, false"
  })
  void transientFailuresAreRetriedAndOthersAreFinal(
      RunStatus status, Integer http, String code, boolean retried) {
    RunOutcome outcome =
        new RunOutcome(
            status,
            http == null ? OptionalInt.empty() : OptionalInt.of(http),
            Optional.of(code),
            Optional.of("x"),
            Optional.empty(),
            1);
    assertThat(outcome.retryable()).isEqualTo(retried);
  }

  @Test
  void successIsNeverRetried() {
    assertThat(RunOutcome.success(200, null, 1).retryable()).isFalse();
  }
}
