package dev.chime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.HttpTarget;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The contract of a {@link Dispatcher}, held by each of Chime's. */
@ParameterizedClass
@EnumSource(HttpDispatcherTest.Client.class)
class HttpDispatcherTest {
  enum Client {
    JDK {
      @Override
      Dispatcher create(Duration connectTimeout, int excerptBytes, Clock clock) {
        return new HttpDispatcher(connectTimeout, excerptBytes, clock);
      }
    },
    JETTY {
      @Override
      Dispatcher create(Duration connectTimeout, int excerptBytes, Clock clock) {
        return new JettyDispatcher(connectTimeout, excerptBytes, clock);
      }
    };

    abstract Dispatcher create(Duration connectTimeout, int excerptBytes, Clock clock);
  }

  @Parameter Client client;

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  /**
   * How long a target may take to notice a closed connection. The caller's side is gone when the
   * call returns; a target blocked on a full send buffer learns of it from its next zero-window
   * probe, which TCP backs off to some 3 s.
   */
  private static final Duration SERVER_NOTICES = Duration.ofSeconds(10);

  private final TargetServer target = new TargetServer();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    target.close();
  }

  private Dispatcher dispatcher(Duration connectTimeout, int excerptBytes) {
    Dispatcher dispatcher = client.create(connectTimeout, excerptBytes, new SettableClock(NOW));
    closing.add(dispatcher);
    return dispatcher;
  }

  private static DispatchRequest post(URI url, Duration timeout) {
    return request("POST", url, timeout);
  }

  private static DispatchRequest request(String method, URI url, Duration timeout) {
    UUID runId = UUID.randomUUID();
    return new DispatchRequest(
        runId,
        "default",
        UUID.randomUUID(),
        "key-" + runId,
        1,
        NOW,
        "0af7651916cd43dd8448eb211c80319c",
        new HttpTarget(method, url, Map.of(), timeout, Duration.ofHours(1)),
        "{\"n\":1}",
        URI.create("http://127.0.0.1:1/callback"),
        "token");
  }

  @Test
  void aBodyThatTricklesIsCutOffAtTheTimeoutAndItsConnectionClosed() throws Exception {
    target.answerAlways(Answer.trickling(Duration.ofMillis(50)));
    long started = System.nanoTime();

    RunOutcome outcome =
        dispatcher(Duration.ofSeconds(5), 1024)
            .call(post(target.url("/slow"), Duration.ofMillis(600)));

    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(openConnectionsTo(target.url("/").getPort())).isZero();
    assertThat(outcome.status()).isEqualTo(RunStatus.TIMEOUT);
    assertThat(outcome.errorCode()).contains("timeout");
    assertThat(outcome.errorMessage().orElseThrow())
        .startsWith("HTTP 200 headers received, body still arriving after 600 ms (")
        .endsWith(" bytes read)");
    assertThat(outcome.httpStatus()).hasValue(200);
    assertThat(outcome.responseExcerpt()).hasValueSatisfying(x -> assertThat(x).matches("x+"));
    assertThat(outcome.durationMs()).isBetween(600L, elapsedMs);
    assertThat(outcome.retryable()).isTrue();
    // the target sees the connection go: its next byte cannot be written
    await()
        .atMost(SERVER_NOTICES)
        .untilAsserted(
            () ->
                assertThat(target.sent())
                    .singleElement()
                    .satisfies(sent -> assertThat(sent.complete()).isFalse()));
  }

  @Test
  void aTargetSilentAfterTheRequestTimesOutAndIsDisconnected() throws Exception {
    SilentTarget silent = new SilentTarget();

    RunOutcome outcome =
        dispatcher(Duration.ofSeconds(5), 1024).call(post(silent.url(), Duration.ofMillis(300)));

    assertThat(outcome.status()).isEqualTo(RunStatus.TIMEOUT);
    assertThat(outcome.errorCode()).contains("timeout");
    assertThat(outcome.errorMessage()).contains("request sent, no response headers after 300 ms");
    assertThat(outcome.httpStatus()).isEmpty();
    assertThat(outcome.durationMs()).isGreaterThanOrEqualTo(300);
    assertThat(openConnectionsTo(silent.url().getPort())).isZero();
    assertThat(silent.closed.await(2, TimeUnit.SECONDS)).as("connection closed").isTrue();
  }

  @Test
  void aConnectionNeverAcceptedTimesOutAtTheTargetTimeout() throws Exception {
    URI url = unacceptingUrl();

    RunOutcome outcome =
        dispatcher(Duration.ofSeconds(10), 1024).call(post(url, Duration.ofMillis(300)));

    assertThat(outcome.status()).isEqualTo(RunStatus.TIMEOUT);
    assertThat(outcome.errorCode()).contains("timeout");
    assertThat(outcome.errorMessage())
        .contains("no connection to " + url.getAuthority() + " within 300 ms");
    assertThat(outcome.durationMs()).isBetween(300L, 5_000L);
  }

  @Test
  void aConnectionNeverAcceptedTimesOutAtTheConnectTimeout() throws Exception {
    URI url = unacceptingUrl();

    RunOutcome outcome =
        dispatcher(Duration.ofMillis(200), 1024).call(post(url, Duration.ofSeconds(10)));

    assertThat(outcome.status()).isEqualTo(RunStatus.TIMEOUT);
    assertThat(outcome.errorCode()).contains("timeout");
    assertThat(outcome.errorMessage())
        .contains(
            "no connection to " + url.getAuthority() + " within the connect timeout of 200 ms");
    assertThat(outcome.durationMs()).isBetween(200L, 5_000L);
  }

  @Test
  void anInterruptWhileTheBodyArrivesAbortsTheCall() throws Exception {
    target.answerAlways(Answer.trickling(Duration.ofMillis(50)));
    Dispatcher dispatcher = dispatcher(Duration.ofSeconds(5), 1024);
    CompletableFuture<RunOutcome> result = new CompletableFuture<>();
    Thread caller =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    result.complete(
                        dispatcher.call(post(target.url("/slow"), Duration.ofSeconds(30))));
                  } catch (Throwable e) {
                    result.completeExceptionally(e);
                  }
                });
    await().atMost(Duration.ofSeconds(5)).until(() -> !target.received().isEmpty());

    caller.interrupt();

    assertThatThrownBy(() -> result.get(2, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(openConnectionsTo(target.url("/").getPort())).isZero();
    await()
        .atMost(SERVER_NOTICES)
        .untilAsserted(
            () ->
                assertThat(target.sent())
                    .singleElement()
                    .satisfies(sent -> assertThat(sent.complete()).isFalse()));
  }

  @Test
  void anInterruptBeforeTheHeadersAbortsTheCall() throws Exception {
    SilentTarget silent = new SilentTarget();
    Dispatcher dispatcher = dispatcher(Duration.ofSeconds(5), 1024);
    CompletableFuture<RunOutcome> result = new CompletableFuture<>();
    Thread caller =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    result.complete(dispatcher.call(post(silent.url(), Duration.ofSeconds(30))));
                  } catch (Throwable e) {
                    result.completeExceptionally(e);
                  }
                });
    assertThat(silent.requested.await(5, TimeUnit.SECONDS)).isTrue();

    caller.interrupt();

    assertThatThrownBy(() -> result.get(2, TimeUnit.SECONDS))
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(silent.closed.await(2, TimeUnit.SECONDS)).as("connection closed").isTrue();
  }

  @Test
  void aHugeBodyIsReadOnlyAsFarAsTheExcerpt() throws Exception {
    long hundredMegabytes = 100L * 1024 * 1024;
    target.answerAlways(Answer.large(hundredMegabytes));

    RunOutcome outcome =
        dispatcher(Duration.ofSeconds(5), 1000)
            .call(post(target.url("/huge"), Duration.ofSeconds(30)));

    assertThat(openConnectionsTo(target.url("/").getPort())).isZero();
    assertThat(outcome.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(outcome.responseExcerpt()).contains("x".repeat(1000));
    // the target's writes fail once the socket buffers are full: a few megabytes at most
    await()
        .atMost(SERVER_NOTICES)
        .untilAsserted(
            () ->
                assertThat(target.sent())
                    .singleElement()
                    .satisfies(
                        sent -> {
                          assertThat(sent.complete()).isFalse();
                          assertThat(sent.bytes()).isLessThan(hundredMegabytes / 5);
                        }));
  }

  @Test
  void anAnswerThatEndsWithinTheExcerptKeepsItsConnection() throws Exception {
    target.answerAlways(Answer.ok().withBody("x".repeat(100)));
    Dispatcher dispatcher = dispatcher(Duration.ofSeconds(5), 100);

    for (int i = 0; i < 3; i++) {
      RunOutcome outcome = dispatcher.call(post(target.url("/ok"), Duration.ofSeconds(5)));
      assertThat(outcome.status()).isEqualTo(RunStatus.SUCCESS);
      assertThat(outcome.responseExcerpt()).contains("x".repeat(100));
    }

    assertThat(target.received())
        .extracting(TargetServer.Received::remotePort)
        .containsOnly(target.received().get(0).remotePort());
  }

  @Test
  void aBodyALittleLongerThanTheExcerptIsDroppedAndItsConnectionKept() throws Exception {
    target.answerAlways(Answer.ok().withBody("a".repeat(100) + "b".repeat(10_000)));
    Dispatcher dispatcher = dispatcher(Duration.ofSeconds(5), 100);

    for (int i = 0; i < 3; i++) {
      RunOutcome outcome = dispatcher.call(post(target.url("/ok"), Duration.ofSeconds(5)));
      assertThat(outcome.responseExcerpt()).contains("a".repeat(100));
    }

    assertThat(target.sent()).extracting(TargetServer.Sent::complete).containsOnly(true);
    assertThat(openConnectionsTo(target.url("/").getPort())).isOne();
    assertThat(target.received())
        .extracting(TargetServer.Received::remotePort)
        .containsOnly(target.received().get(0).remotePort());
  }

  @Test
  void aBodyThatGoesOnPastTheExcerptIsCutAfterAShortWait() throws Exception {
    target.answerAlways(Answer.trickling(Duration.ofMillis(50)));

    RunOutcome outcome =
        dispatcher(Duration.ofSeconds(5), 1)
            .call(post(target.url("/slow"), Duration.ofSeconds(30)));

    assertThat(openConnectionsTo(target.url("/").getPort())).isZero();
    assertThat(outcome.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(outcome.responseExcerpt()).contains("x");
    assertThat(outcome.durationMs()).isLessThan(2_000);
    await()
        .atMost(SERVER_NOTICES)
        .untilAsserted(
            () ->
                assertThat(target.sent())
                    .singleElement()
                    .satisfies(sent -> assertThat(sent.complete()).isFalse()));
  }

  @Test
  void anAnswerWithNulBytesAndBrokenUtf8IsKeptAsStorableText() throws Exception {
    byte[] body = {
      '{',
      '"',
      'a',
      '"',
      ':',
      '"',
      'x',
      0x00,
      'y',
      (byte) 0xFF,
      (byte) 0xC3,
      '"',
      '}',
      'e',
      'n',
      'd',
      (byte) 0xE2,
      (byte) 0x82,
      (byte) 0xAC // the euro sign the excerpt cuts in two
    };
    target.answerAlways(Answer.bytes(body));

    RunOutcome outcome =
        dispatcher(Duration.ofSeconds(5), body.length - 1)
            .call(post(target.url("/odd"), Duration.ofSeconds(5)));

    assertThat(outcome.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(outcome.responseExcerpt()).contains("{\"a\":\"x\uFFFDy\uFFFD\uFFFD\"}end");
  }

  @Test
  void aRetryAfterThatMeansNothingIsIgnored() throws Exception {
    target.answerAlways(Answer.status(503));
    target.answerHeaders("Retry-After", "after lunch, \u00e9 maybe");

    RunOutcome outcome =
        dispatcher(Duration.ofSeconds(5), 1024)
            .call(post(target.url("/busy"), Duration.ofSeconds(5)));

    assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
    assertThat(outcome.httpStatus()).hasValue(503);
    assertThat(outcome.retryAfter()).isEmpty();
  }

  @Test
  void aRefusedConnectionIsNotATimeout() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    RunOutcome outcome =
        dispatcher(Duration.ofSeconds(5), 1024)
            .call(post(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(5)));

    assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
    assertThat(outcome.errorCode()).contains("connection_refused");
  }

  /**
   * A target stored before Chime checked what the HTTP clients accept (a port past 65535, a header
   * value with a line break) fails its run in words, not with the client's exception.
   */
  @Test
  void aTargetTheClientRefusesFailsInPlainWords() throws Exception {
    UUID runId = UUID.randomUUID();
    DispatchRequest badHeader =
        new DispatchRequest(
            runId,
            "default",
            UUID.randomUUID(),
            "key-" + runId,
            1,
            NOW,
            "0af7651916cd43dd8448eb211c80319c",
            new HttpTarget(
                "POST",
                target.url("/x"),
                Map.of("X-Team", "a\r\nb"),
                Duration.ofSeconds(5),
                Duration.ofHours(1)),
            "{\"n\":1}",
            URI.create("http://127.0.0.1:1/callback"),
            "token");
    DispatchRequest badPort = post(URI.create("http://127.0.0.1:99999/x"), Duration.ofSeconds(5));
    Dispatcher dispatcher = dispatcher(Duration.ofSeconds(5), 1024);

    for (DispatchRequest request : List.of(badHeader, badPort)) {
      RunOutcome outcome = dispatcher.call(request);

      assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
      assertThat(outcome.errorCode()).contains("invalid_target");
      assertThat(outcome.retryable()).isFalse();
      assertThat(outcome.errorMessage().orElseThrow())
          .doesNotContain("Exception", "java.", "jetty", "@");
    }
  }

  /**
   * Connections to {@code port} on 127.0.0.1 that a caller still holds open, from the kernel's
   * table: connecting, established, or closed by the target but not yet by the caller. A socket the
   * caller closed (FIN_WAIT, TIME_WAIT) holds no exchange. Skipped where there is no table.
   */
  private static int openConnectionsTo(int port) throws IOException {
    assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
    String remote = String.format(":%04X", port);
    int open = 0;
    // Java's sockets are IPv6 ones by default: a connection to 127.0.0.1 is listed in tcp6
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      if (!Files.exists(Path.of(table))) {
        continue;
      }
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] fields = line.trim().split("\\s+");
        // local address, remote address, state: 01 ESTABLISHED, 02 SYN_SENT, 08 CLOSE_WAIT
        if (fields.length > 3
            && fields[2].endsWith(remote)
            && List.of("01", "02", "08").contains(fields[3])) {
          open++;
        }
      }
    }
    return open;
  }

  /**
   * A URL whose connects hang: a listening socket that never accepts, its queue filled first. On a
   * kernel that refuses instead of dropping past the queue, the test is skipped.
   */
  private URI unacceptingUrl() throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    closing.add(server);
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.getLocalPort());
    for (int i = 0; i < 10; i++) {
      Socket filler = new Socket();
      closing.add(filler);
      try {
        filler.connect(address, 200);
      } catch (SocketTimeoutException e) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
      } catch (IOException e) {
        break;
      }
    }
    assumeTrue(false, "this kernel does not leave connects hanging past a full accept queue");
    throw new AssertionError("unreachable");
  }

  /** Reads a request and never answers; tells when the caller closes the connection. */
  private final class SilentTarget {
    final CountDownLatch requested = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    private final ServerSocket server;

    SilentTarget() throws IOException {
      server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      closing.add(server);
      Thread.ofVirtual().name("silent-target").start(this::serveOne);
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/silent");
    }

    private void serveOne() {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          seen.write(buffer, 0, n);
          if (seen.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            requested.countDown();
          }
        }
        closed.countDown();
      } catch (IOException e) {
        closed.countDown(); // a reset is a close too
      }
    }
  }
}
