package dev.chime.bench.peer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** What PeerBench's and TimingBench's command lines have in common. */
final class Flags {
  /** A flag and its value. */
  record Flag(String name, String value) {}

  private Flags() {}

  /** Whether {@code --help} (or {@code -h}) is among them. */
  static boolean help(String[] args) {
    return Arrays.stream(args).anyMatch(Flags::isHelp);
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  /** The flags but {@code --help} in order, each with its value; throws when a value is missing. */
  static List<Flag> read(String[] args) {
    List<Flag> flags = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (isHelp(args[i])) {
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value; see --help");
      }
      flags.add(new Flag(args[i], args[++i]));
    }
    return flags;
  }

  /** Whole numbers split at {@code separator}, {@code _} allowed within: {@code 10_000,40_000}. */
  static List<Integer> counts(String value, String separator) {
    List<Integer> counts = new ArrayList<>();
    for (String n : value.split(separator)) {
      counts.add(Integer.parseInt(n.strip().replace("_", "")));
    }
    return counts;
  }

  /** The peers named, comma-separated, by their ids. */
  static <E> List<E> peers(String value, E[] all, Function<E, String> id) {
    List<E> peers = new ArrayList<>();
    for (String given : value.split(",")) {
      peers.add(peer(given, all, id));
    }
    return peers;
  }

  /** The peer of {@code all} whose id is {@code given}, whatever its case. */
  static <E> E peer(String given, E[] all, Function<E, String> id) {
    String wanted = given.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(all)
        .filter(kind -> id.apply(kind).equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown peer " + given + "; one of " + Arrays.stream(all).map(id).toList()));
  }
}
