package dev.chime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.run.RunOutcome;
import dev.chime.run.RunStatus;
import dev.chime.schedule.HttpTarget;
import dev.chime.testing.SettableClock;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TargetServer.Answer;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The address policy as calls meet it, on real targets on this machine's loopback addresses: a
 * refused address is never connected to, whatever DNS answers between a check and the call.
 *
 * <p>Every address a test may connect to is a loopback address; link-local and metadata addresses
 * are covered by {@link AddressPolicyTest}, which opens no connection, so that no test of a bug
 * here could send a packet to a cloud metadata service.
 */
class TargetGuardDispatchTest {
  enum Client {
    JDK,
    JETTY;

    Dispatcher create(TargetGuard guard) {
      return this == JDK
          ? new HttpDispatcher(Duration.ofSeconds(2), 256, CLOCK, guard)
          : new JettyDispatcher(Duration.ofSeconds(2), 256, CLOCK, guard);
    }
  }

  private static final SettableClock CLOCK =
      new SettableClock(Instant.parse("2026-11-28T10:00:00Z"));

  /** Loopback refused but for 127.0.0.1: so 127.0.0.2 stands for an address the policy refuses. */
  private static final AddressPolicy ONLY_127_0_0_1 =
      new AddressPolicy(false, false, List.of(Cidr.of("127.0.0.1/32")));

  private final TargetServer allowed = new TargetServer("127.0.0.1");
  private final TargetServer refused = new TargetServer("127.0.0.2");
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
    allowed.close();
    refused.close();
  }

  private Dispatcher dispatcher(Client client, AddressPolicy policy, HostResolver resolver) {
    Dispatcher dispatcher = client.create(new TargetGuard(policy, resolver));
    closing.add(dispatcher);
    return dispatcher;
  }

  private static DispatchRequest call(URI url, TargetAllowList allowList) {
    UUID runId = UUID.randomUUID();
    return new DispatchRequest(
            runId,
            "default",
            UUID.randomUUID(),
            "key-" + runId,
            1,
            CLOCK.instant(),
            "0af7651916cd43dd8448eb211c80319c",
            new HttpTarget("POST", url, Map.of(), Duration.ofSeconds(5), Duration.ofHours(1)),
            "{\"n\":1}",
            URI.create("http://127.0.0.1:1/callback"),
            "token")
        .readied(
            new HttpTarget("POST", url, Map.of(), Duration.ofSeconds(5), Duration.ofHours(1)),
            List.of(),
            allowList);
  }

  /** A resolver that answers {@code name} with each list of addresses in turn, then the last. */
  private static HostResolver answering(
      String name, List<List<String>> answers, AtomicInteger asked) {
    return host -> {
      if (!host.equals(name)) {
        throw new UnknownHostException(host);
      }
      int n = asked.getAndIncrement();
      List<InetAddress> addresses = new ArrayList<>();
      for (String literal : answers.get(Math.min(n, answers.size() - 1))) {
        addresses.add(InetAddress.getByName(literal));
      }
      return addresses;
    };
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aRefusedAddressLiteralIsNotCalledAndTheRunSaysWhichAndWhy(Client client) throws Exception {
    RunOutcome outcome =
        dispatcher(client, ONLY_127_0_0_1, HostResolver.SYSTEM)
            .call(call(refused.url("/hook"), TargetAllowList.ANY));

    assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
    assertThat(outcome.errorCode()).hasValue("target_forbidden");
    assertThat(outcome.errorMessage())
        .hasValue(
            "not called: the address 127.0.0.2 is a loopback address (this machine), and"
                + " target.loopback is refuse");
    assertThat(outcome.retryable()).isFalse();
    assertThat(refused.received()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aNameThatResolvesToARefusedAddressIsNotCalled(Client client) throws Exception {
    AtomicInteger asked = new AtomicInteger();
    Dispatcher dispatcher =
        dispatcher(
            client, ONLY_127_0_0_1, answering("svc.test", List.of(List.of("127.0.0.2")), asked));

    RunOutcome outcome =
        dispatcher.call(
            call(URI.create("http://svc.test:" + refused.port() + "/hook"), TargetAllowList.ANY));

    assertThat(outcome.errorCode()).hasValue("target_forbidden");
    assertThat(outcome.errorMessage())
        .hasValueSatisfying(m -> assertThat(m).contains("the address 127.0.0.2 of svc.test"));
    assertThat(refused.received()).isEmpty();
  }

  @Test
  void whateverDnsAnswersBetweenCallsJettyConnectsOnlyToTheAddressItChecked() throws Exception {
    // a rebinding name: allowed, then refused, then allowed... each call on a new connection
    AtomicInteger asked = new AtomicInteger();
    List<List<String>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      answers.add(List.of(i % 2 == 0 ? "127.0.0.1" : "127.0.0.2"));
    }
    Dispatcher dispatcher =
        dispatcher(Client.JETTY, ONLY_127_0_0_1, answering("rebind.test", answers, asked));
    SamePort targets = samePort();
    URI url = URI.create("http://rebind.test:" + targets.port() + "/hook");

    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      codes.add(dispatcher.call(call(url, TargetAllowList.ANY)).errorCode().orElse("success"));
    }

    assertThat(asked.get()).isGreaterThanOrEqualTo(6);
    assertThat(codes)
        .contains("success", "target_forbidden")
        .containsOnly("success", "target_forbidden");
    assertThat(targets.refused().received()).isEmpty();
    assertThat(targets.allowed().received())
        .hasSize((int) codes.stream().filter("success"::equals).count());
  }

  @Test
  void ofTheAddressesANameHasJettyConnectsOnlyToOnesThePolicyAllows() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    Dispatcher dispatcher =
        dispatcher(
            Client.JETTY,
            ONLY_127_0_0_1,
            answering("both.test", List.of(List.of("127.0.0.2", "127.0.0.1")), asked));
    SamePort targets = samePort();

    RunOutcome outcome =
        dispatcher.call(
            call(URI.create("http://both.test:" + targets.port() + "/hook"), TargetAllowList.ANY));

    assertThat(outcome.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(targets.refused().received()).isEmpty();
    assertThat(targets.allowed().received()).hasSize(1);
  }

  /** Two targets on one port, at 127.0.0.1 and 127.0.0.2: only the address tells them apart. */
  private record SamePort(TargetServer allowed, TargetServer refused, int port) {}

  private SamePort samePort() {
    TargetServer second = new TargetServer("127.0.0.2");
    TargetServer first = new TargetServer("127.0.0.1", second.port());
    closing.add(first);
    closing.add(second);
    // each call on a connection of its own, so that each resolves the name again
    first.answerHeaders("Connection", "close");
    second.answerHeaders("Connection", "close");
    return new SamePort(first, second, second.port());
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aTenantsAllowListNarrowsTheCallsEvenOverAConnectionOpenedForAnother(Client client)
      throws Exception {
    Dispatcher dispatcher = dispatcher(client, AddressPolicy.DEFAULT, HostResolver.SYSTEM);
    URI url = allowed.url("/hook");

    RunOutcome open = dispatcher.call(call(url, TargetAllowList.ANY));
    RunOutcome narrowed = dispatcher.call(call(url, TargetAllowList.of(List.of("10.9.0.0/16"))));
    RunOutcome listed = dispatcher.call(call(url, TargetAllowList.of(List.of("127.0.0.0/8"))));

    assertThat(open.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(narrowed.errorCode()).hasValue("target_forbidden");
    assertThat(narrowed.errorMessage())
        .hasValueSatisfying(m -> assertThat(m).contains("not on this tenant's target allow-list"));
    assertThat(listed.status()).isEqualTo(RunStatus.SUCCESS);
    assertThat(allowed.received()).hasSize(2);
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void aRedirectIsNotFollowedSoNoHopCanLeadPastThePolicy(Client client) throws Exception {
    allowed.answerHeaders("Location", refused.url("/elsewhere").toString());
    allowed.answerAlways(Answer.status(302));

    RunOutcome outcome =
        dispatcher(client, AddressPolicy.DEFAULT, HostResolver.SYSTEM)
            .call(call(allowed.url("/moved"), TargetAllowList.ANY));

    assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
    assertThat(outcome.errorCode()).hasValue("http_status");
    assertThat(outcome.httpStatus()).hasValue(302);
    assertThat(allowed.received()).hasSize(1);
    assertThat(refused.received()).isEmpty();
  }
}
