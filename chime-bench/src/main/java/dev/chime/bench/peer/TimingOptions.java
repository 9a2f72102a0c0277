package dev.chime.bench.peer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one TimingBench run does, read from its command line. */
public record TimingOptions(
    List<Integer> rates,
    List<TimingPeer> peers,
    Map<TimingPeer, List<Integer>> ratesOf,
    Duration interval,
    Duration warmup,
    Duration window,
    Duration drain,
    int rounds,
    int nowPlusOneRepeats,
    String postgres,
    Optional<Path> json,
    boolean help)
    implements BenchCommand.Options {

  static final String USAGE =
      """
      TimingBench: lateness (dispatch minus scheduled instant) at steady loads, Chime's engine
      (embedded, chime-core alone), db-scheduler and Quartz side by side, each on a fresh
      PostgreSQL database per round; and how soon a schedule created for now + 1 s fires on
      Chime, on one node and across two.

        --rates R[,R...]       fires per second (100,1000,5000)
        --peers P[,P...]       chime, db-scheduler, db-scheduler-defaults, quartz (these four),
                               chime-unvacuumed (Chime without the vacuum a node runs where
                               autovacuum is off)
        --rates-of P=R[+R...]  peer P only at these rates (db-scheduler-defaults=100: its 10 s
                               poll makes its lateness the same at any rate); repeatable
        --interval-ms N        every job's interval; jobs = rate x interval (2000)
        --warmup-seconds S     fires before the window, not counted (3)
        --seconds S            the window: fires scheduled in it count (10; at least two polls
                               of the peer)
        --drain-seconds S      how long after the window its late fires may still come (2; at
                               least the peer's poll and a second)
        --rounds N             rounds of everything; the report takes medians (1)
        --now-plus-one N       schedules created for now + 1 s, on one node and on two (10;
                               0: none)
      """
          + BenchCommand.COMMON_FLAGS;

  public TimingOptions {
    if (rates.isEmpty() || rates.stream().anyMatch(r -> r < 1)) {
      throw new IllegalArgumentException("--rates needs rates of at least 1, got " + rates);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
    }
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("--seconds must be positive, got " + window);
    }
    rates = List.copyOf(rates);
    peers = List.copyOf(peers);
    ratesOf = Map.copyOf(ratesOf);
  }

  /** The rates peer {@code peer} runs at. */
  List<Integer> ratesOf(TimingPeer peer) {
    return ratesOf.getOrDefault(peer, rates);
  }

  public static TimingOptions parse(String[] args) {
    List<Integer> rates = List.of(100, 1_000, 5_000);
    List<TimingPeer> peers =
        List.of(
            TimingPeer.CHIME,
            TimingPeer.DB_SCHEDULER,
            TimingPeer.DB_SCHEDULER_DEFAULTS,
            TimingPeer.QUARTZ);
    Map<TimingPeer, List<Integer>> ratesOf = new EnumMap<>(TimingPeer.class);
    ratesOf.put(TimingPeer.DB_SCHEDULER_DEFAULTS, List.of(100));
    long intervalMs = 2_000;
    double warmup = 3;
    double seconds = 10;
    double drain = 2;
    int rounds = 1;
    int nowPlusOne = 10;
    String pg = BenchCommand.POSTGRES;
    Optional<Path> json = Optional.empty();
    boolean help = Flags.help(args);
    for (Flags.Flag flag : Flags.read(args)) {
      String value = flag.value();
      switch (flag.name()) {
        case "--rates" -> rates = Flags.counts(value, ",");
        case "--peers" -> peers = Flags.peers(value, TimingPeer.values(), kind -> kind.id);
        case "--rates-of" -> {
          String[] pair = value.split("=", 2);
          if (pair.length != 2) {
            throw new IllegalArgumentException(
                "--rates-of wants PEER=RATE[+RATE...], got " + value);
          }
          ratesOf.put(
              Flags.peer(pair[0], TimingPeer.values(), kind -> kind.id),
              Flags.counts(pair[1], "\\+"));
        }
        case "--interval-ms" -> intervalMs = Long.parseLong(value);
        case "--warmup-seconds" -> warmup = Double.parseDouble(value);
        case "--seconds" -> seconds = Double.parseDouble(value);
        case "--drain-seconds" -> drain = Double.parseDouble(value);
        case "--rounds" -> rounds = Integer.parseInt(value);
        case "--now-plus-one" -> nowPlusOne = Integer.parseInt(value);
        case "--pg" -> pg = value;
        case "--json" -> json = Optional.of(Path.of(value));
        default ->
            throw new IllegalArgumentException("unknown option " + flag.name() + "; see --help");
      }
    }
    return new TimingOptions(
        rates,
        peers,
        ratesOf,
        Duration.ofMillis(intervalMs),
        seconds(warmup),
        seconds(seconds),
        seconds(drain),
        rounds,
        nowPlusOne,
        pg,
        json,
        help);
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }
}
