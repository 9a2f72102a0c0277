package dev.chime.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode.Response;

/** What every problem+json answer to bad input must say, in a user's terms. */
public final class ProblemAssert {
  private ProblemAssert() {}

  /**
   * The answer is a problem of {@code status} whose errors name {@code field} with {@code reason}.
   */
  public static void assertProblem(Response response, int status, String field, String reason) {
    assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("type").asText()).startsWith("urn:chime:problem:");
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.path("detail").asText()).isNotBlank();
    boolean named = false;
    for (JsonNode error : problem.path("errors")) {
      named |=
          error.path("field").asText().equals(field)
              && error.path("reason").asText().contains(reason);
    }
    assertThat(named).as("names %s with '%s': %s", field, reason, problem).isTrue();
    assertThat(problem.toString())
        .as("in a user's terms")
        .doesNotContain(
            "Source:", "REDACTED", "StreamRead", "jackson", "Exception", "java.", "jetty");
  }
}
