package dev.chime.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TargetServer.Received;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a target received from a cluster during a window of scheduled instants, for chaos tests: the
 * first arrival of each instant ({@code Idempotency-Key}), every attempt, and checks on them.
 */
public final class ClusterLedger {
  private final Instant windowStart;
  private final Instant windowEnd;
  private final Map<String, Received> firstByKey = new HashMap<>();
  private final Map<String, Integer> arrivalsByAttempt = new HashMap<>();
  private final Map<String, Integer> attemptsByKey = new HashMap<>();
  private final Map<String, Instant> instantByKey = new HashMap<>();

  private ClusterLedger(Instant windowStart, Instant windowEnd) {
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
  }

  /** The requests of {@code received} whose scheduled instant is in {@code [start, end)}. */
  public static ClusterLedger of(List<Received> received, Instant start, Instant end) {
    ClusterLedger ledger = new ClusterLedger(start, end);
    for (Received request : received) {
      Instant scheduled = Instant.parse(request.header("Chime-Scheduled-At"));
      if (scheduled.isBefore(start) || !scheduled.isBefore(end)) {
        continue;
      }
      String key = request.header("Idempotency-Key");
      ledger.instantByKey.put(key, scheduled);
      ledger.firstByKey.merge(
          key, request, (a, b) -> a.receivedEpochMillis() <= b.receivedEpochMillis() ? a : b);
      ledger.arrivalsByAttempt.merge(
          key + " attempt " + request.header("Chime-Attempt"), 1, Integer::sum);
      ledger.attemptsByKey.merge(key, 1, Integer::sum);
    }
    return ledger;
  }

  /** Waits, without holding a thread busy, until the wall clock passes {@code instant}. */
  public static void waitUntil(Instant instant) {
    long wait = Duration.between(Instant.now(), instant).toMillis();
    if (wait <= 0) {
      return;
    }
    await()
        .pollDelay(Duration.ofMillis(Math.min(wait, 50)))
        .pollInterval(Duration.ofMillis(50))
        .atMost(Duration.ofMillis(wait + 5_000))
        .until(() -> !Instant.now().isBefore(instant));
  }

  /**
   * Every schedule's every instant of the window (every {@code everySeconds}) arrived; else fails
   * naming the instants missing and what the database says of the runs of the window that did not
   * end in success.
   */
  public void assertEveryInstantArrived(int schedules, int everySeconds, DatabaseSettings db)
      throws SQLException {
    List<Instant> instants = new ArrayList<>();
    for (Instant at = windowStart; at.isBefore(windowEnd); at = at.plusSeconds(everySeconds)) {
      instants.add(at);
    }
    Map<String, List<Instant>> arrived = new TreeMap<>();
    firstByKey.forEach(
        (key, first) ->
            arrived
                .computeIfAbsent(first.path(), p -> new ArrayList<>())
                .add(instantByKey.get(key)));
    Map<String, List<Instant>> missing = new TreeMap<>();
    arrived.forEach(
        (path, got) -> {
          List<Instant> lost = new ArrayList<>(instants);
          lost.removeAll(got);
          if (!lost.isEmpty()) {
            missing.put(path, lost);
          }
        });
    if (!missing.isEmpty()) {
      assertThat(missing)
          .as(
              "instants that never arrived, by target path; runs of the window not in success:\n%s",
              String.join("\n", notSucceeded(db)))
          .isEmpty();
    }
    assertThat(arrived).as("schedules that got calls").hasSize(schedules);
  }

  private List<String> notSucceeded(DatabaseSettings db) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT r.scheduled_at, r.attempt, r.status, r.error_code, COUNT(*), MIN(r.lease_owner),"
                    + " MIN(r.deadline_at) FROM runs r"
                    + " WHERE r.status <> 'success' AND r.scheduled_at >= ? AND r.scheduled_at < ?"
                    + " GROUP BY r.scheduled_at, r.attempt, r.status, r.error_code"
                    + " ORDER BY r.scheduled_at, r.attempt")) {
      select.setObject(1, asColumn(db, windowStart));
      select.setObject(2, asColumn(db, windowEnd));
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          rows.add(
              String.join(
                  " ",
                  row.getString(1),
                  "attempt " + row.getInt(2),
                  row.getString(3),
                  String.valueOf(row.getString(4)),
                  "x " + row.getInt(5),
                  "owner " + row.getString(6),
                  "deadline " + row.getString(7)));
        }
      }
    }
    return rows;
  }

  /** No attempt of an instant arrived twice (a retry is a new attempt, not a double). */
  public void assertNoAttemptArrivedTwice() {
    Map<String, Integer> twice = new LinkedHashMap<>();
    arrivalsByAttempt.forEach(
        (attempt, count) -> {
          if (count > 1) {
            twice.put(attempt, count);
          }
        });
    assertThat(twice).as("attempts that arrived more than once").isEmpty();
  }

  /** The first arrival of every instant came at most {@code bound} after the instant. */
  public void assertNoneLaterThan(Duration bound) {
    assertNoneLaterThan(bound, List.of(), Duration.ZERO, Duration.ZERO);
  }

  /**
   * As {@link #assertNoneLaterThan(Duration)}, but an instant whose work a killed node may have
   * held (a kill at most a lookahead before its instant, or after it and before it arrived) may
   * arrive up to {@code afterKill} after the later of its instant and that kill: a node that was
   * already behind when it was killed held leases it had renewed, which run out a lookahead and a
   * lease after their renewal, and what it held comes from a node that claims them then.
   */
  public void assertNoneLaterThan(
      Duration bound, List<Instant> kills, Duration lookahead, Duration afterKill) {
    List<String> late = new ArrayList<>();
    firstByKey.forEach(
        (key, first) -> {
          Instant instant = instantByKey.get(key);
          long arrived = first.receivedEpochMillis();
          if (arrived - instant.toEpochMilli() <= bound.toMillis()) {
            return;
          }
          boolean byAKill =
              kills.stream()
                  .filter(kill -> !kill.isBefore(instant.minus(lookahead)))
                  .filter(kill -> kill.toEpochMilli() <= arrived)
                  .anyMatch(
                      kill ->
                          arrived - Math.max(kill.toEpochMilli(), instant.toEpochMilli())
                              <= afterKill.toMillis());
          if (!byAKill) {
            late.add(key + " " + (arrived - instant.toEpochMilli()) + " ms");
          }
        });
    assertThat(late)
        .as(
            kills.isEmpty()
                ? "instants first arriving later than " + bound
                : "instants first arriving later than "
                    + bound
                    + ", or than "
                    + afterKill
                    + " after a kill")
        .isEmpty();
  }

  /** Waits until each instant that arrived has exactly one {@code success} run on record. */
  public void awaitOneSuccessPerInstant(DatabaseSettings db) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Map<String, Integer> successes = successesByKey(db);
              List<String> wrong = new ArrayList<>();
              for (String key : firstByKey.keySet()) {
                int count = successes.getOrDefault(key, 0);
                if (count != 1) {
                  wrong.add(key + ": " + count);
                }
              }
              assertThat(wrong).as("instants without exactly one success on record").isEmpty();
            });
  }

  private Map<String, Integer> successesByKey(DatabaseSettings db) throws SQLException {
    Map<String, Integer> successes = new HashMap<>();
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT run_key, COUNT(*) FROM runs WHERE status = 'success'"
                    + " AND scheduled_at >= ? AND scheduled_at < ? GROUP BY run_key")) {
      select.setObject(1, asColumn(db, windowStart));
      select.setObject(2, asColumn(db, windowEnd));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          successes.put(rows.getString(1), rows.getInt(2));
        }
      }
    }
    return successes;
  }

  /** MariaDB keeps instants as UTC date-times without a zone; the others as timestamps. */
  private static Object asColumn(DatabaseSettings db, Instant instant) {
    return db.url().startsWith("jdbc:mariadb:")
        ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC)
        : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** Arrivals, instants retried, and the lateness of first arrivals, for the test's output. */
  public String summary() {
    List<Long> lateness = new ArrayList<>();
    firstByKey.forEach(
        (key, first) ->
            lateness.add(first.receivedEpochMillis() - instantByKey.get(key).toEpochMilli()));
    lateness.sort(Long::compare);
    long retried = attemptsByKey.values().stream().filter(n -> n > 1).count();
    return String.format(
        "%d instants arrived, %d arrivals, %d instants arrived more than once (retries after a"
            + " kill), first-arrival lateness p50 %d ms, p99 %d ms, max %d ms",
        firstByKey.size(),
        attemptsByKey.values().stream().mapToInt(Integer::intValue).sum(),
        retried,
        percentile(lateness, 0.5),
        percentile(lateness, 0.99),
        lateness.isEmpty() ? 0 : lateness.get(lateness.size() - 1));
  }

  private static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
  }
}
