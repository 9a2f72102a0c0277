package dev.chime.dispatch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address a URL host names without DNS, in every form a resolver reads as one: IPv6 literals
 * ({@code [::ffff:169.254.169.254]}) and the IPv4 forms of {@code inet_aton} that the system
 * resolver accepts: dotted quads, and one to four parts in decimal, octal ({@code 0177}) or hex
 * ({@code 0x7f}), the last part filling the bytes left ({@code 2130706433}, {@code 0x7f000001},
 * {@code 127.1}).
 */
public final class NumericHost {
  private static final Pattern PART = Pattern.compile("0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*");

  private NumericHost() {}

  /** The address {@code host} is, or empty for a name that DNS would have to answer. */
  public static Optional<InetAddress> literal(String host) {
    String text = host.trim();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    if (text.endsWith(".") && !text.contains(":")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.contains(":")) {
      return ipv6(text);
    }
    return ipv4(text.toLowerCase(Locale.ROOT));
  }

  private static Optional<InetAddress> ipv6(String text) {
    int zone = text.indexOf('%');
    String bare = zone < 0 ? text : text.substring(0, zone);
    if (!bare.matches("[0-9a-fA-F:.]+")) {
      return Optional.empty();
    }
    try {
      // only hex digits, colons and dots: a literal, which InetAddress reads without DNS
      return Optional.of(InetAddress.getByName(bare));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static Optional<InetAddress> ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length > 4) {
      return Optional.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].length() > 12 || !PART.matcher(parts[i]).matches()) {
        return Optional.empty();
      }
      String part = parts[i];
      if (part.startsWith("0x")) {
        values[i] = part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
      } else if (part.length() > 1 && part.startsWith("0")) {
        values[i] = Long.parseLong(part.substring(1), 8);
      } else {
        values[i] = Long.parseLong(part);
      }
    }
    long address = 0;
    for (int i = 0; i < values.length - 1; i++) {
      if (values[i] > 255) {
        return Optional.empty();
      }
      address |= values[i] << (8 * (3 - i));
    }
    long last = values[values.length - 1];
    int lastBytes = 4 - (values.length - 1);
    if (last >= 1L << (8 * lastBytes)) {
      return Optional.empty();
    }
    address |= last;
    byte[] bytes = {
      (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
    };
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
