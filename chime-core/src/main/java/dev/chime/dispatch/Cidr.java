package dev.chime.dispatch;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A block of addresses, {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a block of one.
 * {@code base} holds the address bytes with the bits past the prefix cleared. IPv4 addresses
 * written in IPv6 (mapped, {@code ::ffff:10.0.0.1}) are compared as IPv4.
 */
public record Cidr(byte[] base, int prefix) {
  public Cidr {
    Objects.requireNonNull(base, "base");
    if (base.length != 4 && base.length != 16) {
      throw new IllegalArgumentException("an address is 4 or 16 bytes, got " + base.length);
    }
    if (prefix < 0 || prefix > base.length * 8) {
      throw new IllegalArgumentException("prefix " + prefix + " out of range");
    }
    base = mask(base, prefix);
  }

  /** Reads {@code address/prefix} or a bare address; empty when it is neither (no DNS is asked). */
  public static Optional<Cidr> parse(String text) {
    String[] parts = text.trim().split("/", -1);
    if (parts.length > 2) {
      return Optional.empty();
    }
    // strictly written: a dotted quad in decimal, or IPv6; the looser forms a URL host may take
    // (2130706433) are no way to write down a block
    boolean strict =
        parts[0].matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")
            || parts[0].contains(":");
    Optional<InetAddress> address = strict ? NumericHost.literal(parts[0]) : Optional.empty();
    if (address.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes = Addresses.canonical(address.get()).getAddress();
    int prefix = bytes.length * 8;
    if (parts.length == 2) {
      if (!parts[1].matches("[0-9]{1,3}")) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(parts[1]);
      if (prefix > bytes.length * 8) {
        return Optional.empty();
      }
    }
    return Optional.of(new Cidr(bytes, prefix));
  }

  /** Reads a block Chime itself wrote down. */
  static Cidr of(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("not a CIDR: " + text));
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = Addresses.canonical(address).getAddress();
    return bytes.length == base.length && Arrays.equals(mask(bytes, prefix), base);
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int bit = prefix; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return out;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that && prefix == that.prefix && Arrays.equals(base, that.base);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(base) * 31 + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(base).getHostAddress() + "/" + prefix;
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
