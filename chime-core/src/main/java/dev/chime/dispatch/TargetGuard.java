package dev.chime.dispatch;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where calls may go: the {@link AddressPolicy} for every tenant, a tenant's {@link
 * TargetAllowList} within it, and the resolver that turns host names into the addresses checked. A
 * target can be refused from its URL alone (an address literal, a metadata name) when it is written
 * and before each call; the addresses a name resolves to are checked as each call connects, so that
 * what is checked is what is connected to.
 */
public final class TargetGuard {
  /** The default policy on the JVM's resolver. */
  public static final TargetGuard DEFAULT =
      new TargetGuard(AddressPolicy.DEFAULT, HostResolver.SYSTEM);

  /** Names of cloud metadata services, refused without asking DNS. */
  private static final Set<String> METADATA_NAMES =
      Set.of(
          "metadata.google.internal",
          "metadata.goog",
          "instance-data",
          "instance-data.ec2.internal",
          "metadata.azure.internal");

  /** Host texts whose reading {@link #literals} keeps; past it, it starts afresh. */
  private static final int LITERALS_KEPT = 1_024;

  private final AddressPolicy policy;
  private final HostResolver resolver;

  /**
   * Each host text read as an address literal, or as a name: calls go to a few hosts again and
   * again, and reading the text (every inet_aton form) was a seventh of a call's own work.
   */
  private final Map<String, Optional<InetAddress>> literals = new ConcurrentHashMap<>();

  public TargetGuard(AddressPolicy policy, HostResolver resolver) {
    this.policy = policy;
    this.resolver = resolver;
  }

  public AddressPolicy policy() {
    return policy;
  }

  /**
   * Why a call to {@code url} is refused from the URL alone, without DNS, or empty when only the
   * addresses its host resolves to can tell.
   */
  public Optional<String> refusalOf(URI url, TargetAllowList allowList) {
    if (url.getHost() == null) {
      // such as http://127.1/: a form java.net.URI reads as no host, which no client can call
      return Optional.of("the URL " + url + " names no host that can be checked");
    }
    String host = hostOf(url);
    Optional<InetAddress> literal = literal(host);
    if (literal.isPresent()) {
      return refusal(host, literal.get(), allowList);
    }
    String name = TargetAllowList.normalName(host);
    if (METADATA_NAMES.contains(name)) {
      return Optional.of(
          "the host " + name + " is a cloud metadata service, which Chime never calls");
    }
    if (!policy.allowLoopback() && (name.equals("localhost") || name.endsWith(".localhost"))) {
      return Optional.of(
          "the host " + name + " is this machine (loopback), and target.loopback is refuse");
    }
    if (!allowList.isAny() && !allowList.allowsName(name) && allowList.networks().isEmpty()) {
      return Optional.of(
          "the host " + name + " is not on this tenant's target allow-list " + allowList.entries());
    }
    return Optional.empty();
  }

  /** Why a call to {@code host} may not connect to {@code address}, or empty when it may. */
  public Optional<String> refusal(String host, InetAddress address, TargetAllowList allowList) {
    Optional<String> refused = policy.refusal(address);
    if (refused.isPresent()) {
      return Optional.of(describe(host, address) + " " + refused.get());
    }
    if (!allowList.isAny() && !allowList.allowsName(host) && !allowList.allowsAddress(address)) {
      return Optional.of(
          describe(host, address)
              + " is not on this tenant's target allow-list "
              + allowList.entries());
    }
    return Optional.empty();
  }

  /**
   * The addresses a call to {@code host} may try: an address literal itself, else the resolver's.
   */
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    Optional<InetAddress> literal = literal(host);
    return literal.isPresent() ? List.of(literal.get()) : resolver.resolve(host);
  }

  /**
   * Why a call to {@code url} is refused by any address its host resolves to now, or empty; for a
   * client that resolves again by itself and so cannot be held to the addresses checked.
   */
  Optional<String> refusalOfResolved(URI url, TargetAllowList allowList) {
    if (url.getHost() == null) {
      return Optional.empty(); // refused already by refusalOf
    }
    String host = hostOf(url);
    try {
      for (InetAddress address : resolve(host)) {
        Optional<String> refused = refusal(host, address, allowList);
        if (refused.isPresent()) {
          return refused;
        }
      }
    } catch (UnknownHostException e) {
      // the client's own lookup reports the unknown host
    }
    return Optional.empty();
  }

  /** {@link NumericHost#literal} of {@code host}, read once for each host text. */
  private Optional<InetAddress> literal(String host) {
    Optional<InetAddress> known = literals.get(host);
    if (known == null) {
      known = NumericHost.literal(host);
      if (literals.size() >= LITERALS_KEPT) {
        literals.clear();
      }
      literals.put(host, known);
    }
    return known;
  }

  static String hostOf(URI url) {
    String host = url.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  private static String describe(String host, InetAddress address) {
    String text = Addresses.canonical(address).getHostAddress();
    boolean literal = NumericHost.literal(host).isPresent();
    return literal && host.toLowerCase(Locale.ROOT).equals(text)
        ? "the address " + text
        : "the address " + text + " of " + host;
  }
}
