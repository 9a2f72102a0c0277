package dev.chime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries and timeouts, against a small HTTP server that answers what each test tells it: a real
 * Chime answers 503 only while its database is down.
 */
class ClientRetryTest {
  private record Answer(int status, String retryAfter, String body, long delayMs) {}

  private HttpServer server;
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          Answer answer = answers.poll();
          if (answer == null) {
            answer = new Answer(200, null, TOKEN, 0);
          }
          try {
            Thread.sleep(answer.delayMs());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add(
                  "Content-Type",
                  answer.status() >= 400 ? "application/problem+json" : "application/json");
          if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
          }
          exchange.sendResponseHeaders(answer.status(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static final String TOKEN =
      "{\"tenant_id\":\"default\",\"name\":\"t\",\"scopes\":[\"admin\"],\"state\":\"active\"}";
  private static final String UNAVAILABLE =
      "{\"type\":\"urn:chime:problem:database-unavailable\",\"title\":\"Service unavailable\","
          + "\"status\":503,\"detail\":\"the database did not answer\",\"instance\":\"/x\"}";

  private Chime client() {
    return Chime.builder("http://127.0.0.1:" + server.getAddress().getPort())
        .token("t")
        .retryBackoff(Duration.ofMillis(1))
        .requestTimeout(Duration.ofMillis(500))
        .build();
  }

  @Test
  void aGetIsTriedAgainAfterTheRetryAfterChimeAskedFor() {
    answers.add(new Answer(503, "1", UNAVAILABLE, 0));
    try (Chime chime = client()) {
      long start = System.nanoTime();
      assertThat(chime.currentToken().tenantId()).isEqualTo("default");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
    assertThat(seen).hasSize(2);
  }

  @Test
  void aPostIsNeverTriedAgain() {
    answers.add(new Answer(503, "1", UNAVAILABLE, 0));
    try (Chime chime = client()) {
      assertThatThrownBy(() -> chime.runNow(java.util.UUID.randomUUID()))
          .asInstanceOf(type(UnavailableException.class))
          .satisfies(e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)));
    }
    assertThat(seen).hasSize(1);
  }

  @Test
  void aWaitLongerThanAllowedIsThrownAtOnce() {
    answers.add(new Answer(503, "120", UNAVAILABLE, 0));
    try (Chime chime = client()) {
      assertThatThrownBy(chime::currentToken)
          .asInstanceOf(type(UnavailableException.class))
          .satisfies(e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(120)));
    }
    assertThat(seen).hasSize(1);
  }

  @Test
  void aSlowAnswerTimesOutAndIsTriedAgain() {
    answers.add(new Answer(200, null, TOKEN, 1500));
    try (Chime chime = client()) {
      assertThat(chime.currentToken().name()).isEqualTo("t");
    }
    assertThat(seen).hasSize(2);

    answers.add(new Answer(200, null, TOKEN, 1500));
    answers.add(new Answer(200, null, TOKEN, 1500));
    answers.add(new Answer(200, null, TOKEN, 1500));
    try (Chime chime = client()) {
      assertThatThrownBy(chime::currentToken)
          .asInstanceOf(type(ChimeConnectionException.class))
          .satisfies(
              e -> {
                assertThat(e.timedOut()).isTrue();
                assertThat(e.getMessage()).contains("no answer within 500 ms");
              });
    }
  }

  @Test
  void anAnswerThatIsNotJsonStillBecomesAProblem() {
    answers.add(new Answer(502, null, "<html><body>Bad Gateway</body></html>", 0));
    answers.add(new Answer(502, null, "<html><body>Bad Gateway</body></html>", 0));
    answers.add(new Answer(502, null, "<html><body>Bad Gateway</body></html>", 0));
    try (Chime chime = client()) {
      assertThatThrownBy(chime::currentToken)
          .asInstanceOf(type(ChimeApiException.class))
          .satisfies(
              e -> {
                assertThat(e.status()).isEqualTo(502);
                assertThat(e.detail()).contains("Bad Gateway");
              });
    }
    assertThat(seen).hasSize(3);
  }
}
