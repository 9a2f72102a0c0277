package dev.chime.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.dispatch.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private final ClientAddress behindBalancers =
      new ClientAddress(
          List.of(Cidr.parse("10.0.0.0/8").orElseThrow(), Cidr.parse("fd00::/8").orElseThrow()));

  @Test
  void withoutTrustedBalancersThePeerIsTheClient() {
    ClientAddress direct = new ClientAddress(List.of());
    assertThat(direct.of("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
  }

  @Test
  void aPeerThatIsNoTrustedBalancerIsTheClientWhateverItForwards() {
    assertThat(behindBalancers.of("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
  }

  @Test
  void theRightmostAddressThatIsNoBalancerIsTheClient() {
    // the client wrote 1.1.1.1 itself; the outer balancer 10.0.0.2 saw 198.51.100.1
    assertThat(behindBalancers.of("10.0.0.5", List.of("1.1.1.1, 198.51.100.1, 10.0.0.2")))
        .isEqualTo("198.51.100.1");
    // the same, in two headers
    assertThat(behindBalancers.of("10.0.0.5", List.of("1.1.1.1", "198.51.100.1")))
        .isEqualTo("198.51.100.1");
  }

  @Test
  void portsAndIpv6AreRead() {
    assertThat(behindBalancers.of("10.0.0.5", List.of("198.51.100.1:4711")))
        .isEqualTo("198.51.100.1");
    assertThat(behindBalancers.of("fd00::5", List.of("[2001:db8::1]:443")))
        .isEqualTo("2001:db8:0:0:0:0:0:1");
  }

  @Test
  void aHopThatIsNoAddressStopsTheChainAtTheBalancerThatPassedItOn() {
    assertThat(behindBalancers.of("10.0.0.5", List.of("unknown, 10.0.0.9"))).isEqualTo("10.0.0.9");
    assertThat(behindBalancers.of("10.0.0.5", List.of("evil.example"))).isEqualTo("10.0.0.5");
    // without the header the balancer itself is all there is to count
    assertThat(behindBalancers.of("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
  }
}
