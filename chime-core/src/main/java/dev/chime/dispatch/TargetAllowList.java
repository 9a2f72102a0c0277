package dev.chime.dispatch;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A tenant's own narrowing of where its schedules may call: host names ({@code api.example.com}, or
 * {@code *.example.com} for every name below it) and address blocks ({@code 10.1.0.0/16}). An empty
 * list narrows nothing. A list never opens what the {@link AddressPolicy} refuses: a call must pass
 * both.
 */
public record TargetAllowList(List<String> hosts, List<Cidr> networks) {
  /** No narrowing. */
  public static final TargetAllowList ANY = new TargetAllowList(List.of(), List.of());

  /** The most entries one list may hold. */
  public static final int MAX_ENTRIES = 200;

  private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
  private static final String NAME = "(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*";

  public TargetAllowList {
    hosts = List.copyOf(hosts);
    networks = List.copyOf(networks);
  }

  /** A list of entries as {@link #entries()} gives them; throws for one that is neither kind. */
  public static TargetAllowList of(List<String> entries) {
    List<String> hosts = new ArrayList<>();
    List<Cidr> networks = new ArrayList<>();
    for (String entry : entries) {
      Optional<String> problem = problem(entry);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("'" + entry + "' " + problem.get());
      }
      Optional<Cidr> network = Cidr.parse(entry);
      if (network.isPresent()) {
        networks.add(network.get());
      } else {
        hosts.add(normalName(entry));
      }
    }
    return new TargetAllowList(hosts, networks);
  }

  /** Why {@code entry} is neither a host name pattern nor an address block, or empty. */
  public static Optional<String> problem(String entry) {
    if (Cidr.parse(entry).isPresent()) {
      return Optional.empty();
    }
    if (entry.contains("/") || entry.contains(":")) {
      return Optional.of("is not an address block such as 10.1.0.0/16 or fd12::/48");
    }
    String name = normalName(entry);
    if (NumericHost.literal(name).isPresent()) {
      return Optional.of(
          "is an address in a form a list does not take: write a dotted quad (10.0.0.1) or a block"
              + " (10.0.0.0/8)");
    }
    if (name.length() > 253 || !name.matches(NAME)) {
      return Optional.of(
          "is not a host name such as api.example.com or *.example.com (letters, digits, - and ."
              + " in ASCII; a non-ASCII name in its xn-- form), nor an address block such as"
              + " 10.1.0.0/16");
    }
    return Optional.empty();
  }

  public boolean isAny() {
    return hosts.isEmpty() && networks.isEmpty();
  }

  /** The entries, host names first. */
  public List<String> entries() {
    List<String> entries = new ArrayList<>(hosts);
    networks.forEach(network -> entries.add(network.toString()));
    return entries;
  }

  /** Whether the list names {@code host}, itself or by a {@code *.} pattern above it. */
  public boolean allowsName(String host) {
    String name = normalName(host);
    for (String entry : hosts) {
      if (entry.startsWith("*.") ? name.endsWith(entry.substring(1)) : name.equals(entry)) {
        return true;
      }
    }
    return false;
  }

  public boolean allowsAddress(InetAddress address) {
    return networks.stream().anyMatch(network -> network.contains(address));
  }

  static String normalName(String host) {
    String name = host.trim().toLowerCase(Locale.ROOT);
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
