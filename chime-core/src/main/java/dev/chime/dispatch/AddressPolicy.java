package dev.chime.dispatch;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses Chime may call, for every tenant: link-local and cloud metadata addresses never
 * (nor multicast and broadcast); loopback and private ranges as configured ({@code
 * target.loopback}, {@code target.private}), with {@code allowedNetworks} allowed even where those
 * are refused; public addresses always.
 */
public record AddressPolicy(
    boolean allowLoopback, boolean allowPrivate, List<Cidr> allowedNetworks) {
  /** Chime's default, for a scheduler that calls the services beside it: only metadata refused. */
  public static final AddressPolicy DEFAULT = new AddressPolicy(true, true, List.of());

  public AddressPolicy {
    allowedNetworks = List.copyOf(allowedNetworks);
  }

  /** Why a call may not go to {@code address}, or empty when it may. */
  public Optional<String> refusal(InetAddress address) {
    Addresses.Kind kind = Addresses.kind(address);
    switch (kind) {
      case METADATA, NOT_UNICAST -> {
        return Optional.of("is " + kind.words + ", which Chime never calls");
      }
      case LOOPBACK -> {
        if (!allowLoopback && !inAllowedNetworks(address)) {
          return Optional.of("is " + kind.words + ", and target.loopback is refuse");
        }
      }
      case PRIVATE -> {
        if (!allowPrivate && !inAllowedNetworks(address)) {
          return Optional.of("is " + kind.words + ", and target.private is refuse");
        }
      }
      case PUBLIC -> {}
    }
    return Optional.empty();
  }

  private boolean inAllowedNetworks(InetAddress address) {
    return allowedNetworks.stream().anyMatch(network -> network.contains(address));
  }

  /** The blocks no configuration opens, as the API lists them. */
  public static List<String> alwaysRefused() {
    return java.util.stream.Stream.concat(
            Addresses.blocks(Addresses.Kind.METADATA).stream(),
            Addresses.blocks(Addresses.Kind.NOT_UNICAST).stream())
        .toList();
  }
}
