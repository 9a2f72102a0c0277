package dev.chime.dispatch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** What kind of address a call would go to, with IPv4 hidden inside IPv6 seen as IPv4. */
final class Addresses {
  /** The kinds, each with the words a refusal uses for it. */
  enum Kind {
    /** Link-local and cloud metadata: never called. */
    METADATA("a link-local or cloud metadata address"),
    /** Multicast, broadcast and reserved blocks: no call can go there. */
    NOT_UNICAST("not an address a call can go to (multicast, broadcast or reserved)"),
    LOOPBACK("a loopback address (this machine)"),
    PRIVATE("a private network address"),
    PUBLIC("a public address");

    final String words;

    Kind(String words) {
      this.words = words;
    }
  }

  private record Block(Cidr cidr, Kind kind) {}

  /** The NAT64 well-known prefix, 64:ff9b::/96: its last 32 bits are an IPv4 address. */
  private static final byte[] NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};

  /** Checked in order: the first block that holds an address gives its kind. */
  private static final List<Block> BLOCKS =
      List.of(
          new Block(Cidr.of("169.254.0.0/16"), Kind.METADATA),
          new Block(Cidr.of("100.100.100.200/32"), Kind.METADATA), // Alibaba Cloud
          new Block(Cidr.of("192.0.0.192/32"), Kind.METADATA), // Oracle Cloud, older
          new Block(Cidr.of("fd00:ec2::254/128"), Kind.METADATA), // AWS over IPv6
          new Block(Cidr.of("fe80::/10"), Kind.METADATA),
          new Block(Cidr.of("224.0.0.0/3"), Kind.NOT_UNICAST), // multicast, reserved, broadcast
          new Block(Cidr.of("ff00::/8"), Kind.NOT_UNICAST),
          new Block(Cidr.of("127.0.0.0/8"), Kind.LOOPBACK),
          new Block(Cidr.of("0.0.0.0/8"), Kind.LOOPBACK), // "this host": Linux connects it locally
          new Block(Cidr.of("::1/128"), Kind.LOOPBACK),
          new Block(Cidr.of("::/128"), Kind.LOOPBACK),
          new Block(Cidr.of("10.0.0.0/8"), Kind.PRIVATE),
          new Block(Cidr.of("172.16.0.0/12"), Kind.PRIVATE),
          new Block(Cidr.of("192.168.0.0/16"), Kind.PRIVATE),
          new Block(Cidr.of("100.64.0.0/10"), Kind.PRIVATE), // carrier-grade NAT
          new Block(Cidr.of("fc00::/7"), Kind.PRIVATE),
          new Block(Cidr.of("fec0::/10"), Kind.PRIVATE)); // site-local, deprecated

  /** The blocks of a kind, as the API shows what is always refused. */
  static List<String> blocks(Kind kind) {
    return BLOCKS.stream().filter(b -> b.kind() == kind).map(b -> b.cidr().toString()).toList();
  }

  private Addresses() {}

  static Kind kind(InetAddress address) {
    InetAddress canonical = canonical(address);
    for (Block block : BLOCKS) {
      if (block.cidr().contains(canonical)) {
        return block.kind();
      }
    }
    return Kind.PUBLIC;
  }

  /**
   * The address a connection to {@code address} reaches: IPv4-mapped ({@code ::ffff:a.b.c.d}),
   * IPv4-compatible ({@code ::a.b.c.d}) and NAT64 ({@code 64:ff9b::a.b.c.d}) IPv6 addresses are
   * their IPv4 address; any other address is itself.
   */
  static InetAddress canonical(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] bytes = address.getAddress();
    boolean mapped = allZero(bytes, 0, 10) && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    // ::a.b.c.d, but not :: and ::1, which are IPv6's own
    boolean compatible = allZero(bytes, 0, 12) && !(allZero(bytes, 12, 15) && bytes[15] <= 1);
    boolean nat64 = Arrays.equals(bytes, 0, 12, NAT64, 0, 12);
    if (!mapped && !compatible && !nat64) {
      return address;
    }
    try {
      return Inet4Address.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
