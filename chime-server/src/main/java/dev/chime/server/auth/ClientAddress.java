package dev.chime.server.auth;

import dev.chime.dispatch.Cidr;
import dev.chime.dispatch.NumericHost;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address a request comes from, as the bad-token throttle counts it: the peer's, or, when the
 * peer is a load balancer in {@code http.trusted.proxies}, the client's that the balancers name in
 * {@code X-Forwarded-For}. Each balancer appends the address it was called from, so the list is
 * read from the right: the first address that is not a trusted balancer's is the client's. What a
 * client writes on the left itself is never believed. Nothing is looked up in DNS.
 */
final class ClientAddress {
  private static final Pattern IPV4_WITH_PORT = Pattern.compile("[0-9.]+:[0-9]+");

  private final List<Cidr> trusted;

  ClientAddress(List<Cidr> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  /** The client's address for a request from {@code peer} with these X-Forwarded-For headers. */
  String of(String peer, List<String> forwardedFor) {
    if (trusted.isEmpty() || !isTrusted(peer)) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      for (String hop : header.split(",")) {
        if (!hop.isBlank()) {
          hops.add(hop.trim());
        }
      }
    }
    String nearest = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> address = address(hops.get(i));
      if (address.isEmpty()) {
        // not an address (a name, "unknown", garbage): the balancer that passed it on is as far
        // as the chain can be believed
        return nearest;
      }
      String hop = address.get().getHostAddress();
      if (!isTrusted(address.get())) {
        return hop;
      }
      nearest = hop;
    }
    return nearest;
  }

  private boolean isTrusted(String peer) {
    return NumericHost.literal(peer).map(this::isTrusted).orElse(false);
  }

  private boolean isTrusted(InetAddress address) {
    return trusted.stream().anyMatch(network -> network.contains(address));
  }

  private static Optional<InetAddress> address(String hop) {
    String text = hop;
    if (IPV4_WITH_PORT.matcher(text).matches()) {
      text = text.substring(0, text.indexOf(':'));
    } else if (text.startsWith("[") && text.contains("]:")) {
      text = text.substring(0, text.indexOf("]:") + 1);
    }
    return NumericHost.literal(text);
  }
}
