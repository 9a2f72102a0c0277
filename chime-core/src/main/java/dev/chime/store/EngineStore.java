package dev.chime.store;

import dev.chime.run.Run;
import dev.chime.run.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The engine's statements: claim due work in batches, start fires, write outcomes, close runs past
 * their deadline. Every write that follows a claim is fenced by the lease epoch the claim returned;
 * a write that has lost its lease changes nothing and is reported as not done.
 */
public final class EngineStore {
  /** The length of {@code runs.lease_owner}, {@code VARCHAR(128)} on every database. */
  private static final int LEASE_OWNER_LENGTH = 128;

  private final Database db;
  private final Dialect dialect;
  private final Finisher finisher;
  private final ResultStore results;
  private final Claims claims;

  public EngineStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
    this.finisher = new Finisher(dialect);
    this.results = new ResultStore(db);
    this.claims = new Claims(db, finisher);
  }

  /** Whether the database answers now. */
  public boolean ping() {
    return db.ping();
  }

  /** Where the results of the calls this store's claims started are written. */
  public ResultStore results() {
    return results;
  }

  /** A schedule whose next fire this node now holds. */
  public record ClaimedSchedule(
      UUID id,
      String tenantId,
      String triggerJson,
      String targetJson,
      String payloadJson,
      String policyJson,
      Instant nextFireAt,
      Optional<Instant> lastFireAt,
      long leaseEpoch) {}

  /** A queued run (run-now, retry, an instant waiting behind another) this node now holds. */
  public record ClaimedRun(
      RunRef ref,
      Instant dueAt,
      String traceId,
      String targetJson,
      String payloadJson,
      long leaseEpoch) {}

  /** A run that starts now, with its deadline and the hash of its callback token. */
  public record StartedRun(Run run, Instant deadlineAt, String callbackTokenHash) {}

  /**
   * What starting one scheduled fire writes: the schedule moves to {@code nextFireAt}; a run may
   * start; runs may be recorded without being sent (skipped, or queued behind another); with {@code
   * cancelRunning} the schedule's runs in flight are cancelled first.
   */
  public record ScheduleStart(
      UUID scheduleId,
      long leaseEpoch,
      Optional<Instant> nextFireAt,
      Instant lastFireAt,
      Optional<StartedRun> start,
      List<Run> recorded,
      boolean cancelRunning) {
    public ScheduleStart {
      recorded = List.copyOf(recorded);
    }
  }

  /** A claimed queued run that starts at {@code startAt} (now, or its instant if that is later). */
  public record RunStart(
      UUID runId, long leaseEpoch, Instant startAt, Instant deadlineAt, String callbackTokenHash) {}

  /** A claimed queued run that must wait longer (its schedule is at its concurrency limit). */
  public record RunDeferral(UUID runId, long leaseEpoch, Instant dueAt) {}

  /** What a start writes, decided from the activity read in its own transaction. */
  public record StartWrites(
      List<ScheduleStart> scheduleStarts, List<RunStart> runStarts, List<RunDeferral> deferrals) {}

  /** Which runs started, and which runs in flight were cancelled to make room. */
  public record StartResult(Set<UUID> started, Set<UUID> cancelled) {}

  /** Runs of one schedule now running, and now queued. */
  public record Active(int running, int queued) {
    public static final Active NONE = new Active(0, 0);
  }

  /** A lease this node holds on a row, by the epoch its claim returned. */
  public record Lease(UUID id, long epoch) {}

  /**
   * Claims up to {@code limit} enabled schedules due by {@code dueBy} whose lease is free or ran
   * out before {@code now}, in order of their next fire, leasing them to {@code owner} until {@code
   * leaseUntil}. Rows another node is claiming at the same moment are passed over.
   */
  public List<ClaimedSchedule> claimSchedules(
      String owner, Instant dueBy, Instant now, Instant leaseUntil, int limit, Instant ownBefore) {
    return claims.claimSchedules(owner, dueBy, now, leaseUntil, limit, ownBefore);
  }

  /**
   * As {@link #claimSchedules(String, Instant, Instant, Instant, int, Instant)}, looking only at
   * schedules due from {@code dueFrom}: a node that already claimed everything due before it passes
   * over its own held rows instead of reading them again at every claim.
   */
  public List<ClaimedSchedule> claimSchedules(
      String owner,
      Instant dueFrom,
      Instant dueBy,
      Instant now,
      Instant leaseUntil,
      int limit,
      Instant ownBefore) {
    return claims.claimSchedules(owner, dueFrom, dueBy, now, leaseUntil, limit, ownBefore);
  }

  /** Claims queued runs due by {@code dueBy}, as {@link #claimSchedules} does for schedules. */
  public List<ClaimedRun> claimRuns(
      String owner, Instant dueBy, Instant now, Instant leaseUntil, int limit, Instant ownBefore) {
    return claims.claimRuns(owner, dueBy, now, leaseUntil, limit, ownBefore);
  }

  /**
   * The select of due schedules a claim makes, without its row locks, for tools that look at its
   * plan; its parameters, in order: due by, due from, now, the claiming node, the instant before
   * which that node's own leases are taken back, and the limit.
   */
  public static String dueSchedulesSelect() {
    return Claims.DUE_SCHEDULES;
  }

  /** The read of {@link #dueCountReached}: after, until, then the offset (count - 1). */
  static final String DUE_COUNT_SELECT =
      "SELECT next_fire_at FROM schedules WHERE enabled = TRUE AND next_fire_at > ?"
          + " AND next_fire_at <= ?"
          + Claims.DUE_ORDER
          + " LIMIT 1 OFFSET ?";

  /**
   * The instant by which {@code count} enabled schedules fall due after {@code after}, looking no
   * further than {@code until}; empty when fewer fall due in that span. Whoever holds them, it
   * reads at most {@code count} entries of the index of due schedules (in its order: {@link
   * Claims#DUE_ORDER}) and writes nothing: how the engine sees a burst coming before it is within
   * the lookahead.
   */
  public Optional<Instant> dueCountReached(Instant after, Instant until, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(DUE_COUNT_SELECT)) {
            dialect.setInstant(select, 1, after);
            dialect.setInstant(select, 2, until);
            select.setInt(3, count - 1);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next()
                  ? dialect.getInstant(rows, "next_fire_at")
                  : Optional.<Instant>empty();
            }
          }
        });
  }

  /** The tenants that have their own limit of runs in flight, with that limit. */
  public Map<String, Integer> tenantRunLimits() {
    return db.inTransaction(
        connection -> {
          Map<String, Integer> limits = new HashMap<>();
          try (PreparedStatement select =
                  connection.prepareStatement(
                      "SELECT id, max_running FROM tenants WHERE max_running IS NOT NULL");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              limits.put(rows.getString("id"), rows.getInt("max_running"));
            }
          }
          return limits;
        });
  }

  /**
   * Runs in flight now: per schedule, the ids of its running runs and how many are queued, and
   * which of those running runs are the reading node's own calls (their lease is its); per tenant,
   * how many runs are running that are not the reading node's calls (other nodes' calls, and
   * accepted runs waiting for their callback). The reading node judges its own runs by what it
   * knows of its calls: one whose result it wrote after this read is no longer in flight.
   */
  public record Activity(
      Map<UUID, Set<UUID>> running,
      Map<UUID, Integer> queued,
      Map<String, Integer> byTenant,
      Set<UUID> own) {}

  /**
   * What the overlap policies and the tenant cap need for a chunk of due work, read in one
   * transaction: which runs each schedule has running and how many queued, and how many runs each
   * tenant has running.
   */
  private Activity activity(
      Connection connection,
      String owner,
      Collection<UUID> scheduleIds,
      Collection<String> tenantIds)
      throws SQLException {
    Map<UUID, Set<UUID>> running = new HashMap<>();
    Map<UUID, Integer> queued = new HashMap<>();
    Map<String, Integer> byTenant = new HashMap<>();
    Set<UUID> own = new HashSet<>();
    if (scheduleIds.isEmpty()) {
      return new Activity(running, queued, byTenant, own);
    }
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT schedule_id, id, status, lease_owner FROM runs WHERE "
                + dialect.oneOf(dialect.inFlightScheduleColumn(), scheduleIds.size())
                + " AND status IN ('running', 'queued')")) {
      dialect.bindOneOf(connection, select, 1, scheduleIds.stream().map(UUID::toString).toList());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          UUID schedule = UUID.fromString(rows.getString("schedule_id"));
          if (rows.getString("status").equals("running")) {
            UUID id = UUID.fromString(rows.getString("id"));
            running.computeIfAbsent(schedule, k -> new HashSet<>()).add(id);
            if (owner.equals(rows.getString("lease_owner"))) {
              own.add(id);
            }
          } else {
            queued.merge(schedule, 1, Integer::sum);
          }
        }
      }
    }
    // ranges of the index of running runs by tenant and owner (V15): owners before this node's,
    // owners after it, and none; this node's own entries, most of them, are never read
    List<Dialect.Range> others = new ArrayList<>();
    dialect.before(owner, LEASE_OWNER_LENGTH).ifPresent(others::add);
    others.add(dialect.after(owner));
    String ofTenants =
        "SELECT tenant_id FROM runs WHERE status = 'running' AND tenant_id IN ("
            + Statements.placeholders(tenantIds.size())
            + ") AND lease_owner ";
    StringBuilder sql = new StringBuilder("SELECT tenant_id, COUNT(*) AS n FROM (");
    for (Dialect.Range range : others) {
      sql.append(ofTenants).append(range.operator()).append(" ? UNION ALL ");
    }
    sql.append(ofTenants).append("IS NULL) others GROUP BY tenant_id");
    try (PreparedStatement count = connection.prepareStatement(sql.toString())) {
      int i = 1;
      for (int part = 0; part <= others.size(); part++) {
        for (String id : tenantIds) {
          count.setString(i++, id);
        }
        if (part < others.size()) {
          count.setString(i++, others.get(part).bound());
        }
      }
      try (ResultSet rows = count.executeQuery()) {
        while (rows.next()) {
          byTenant.put(rows.getString("tenant_id"), rows.getInt("n"));
        }
      }
    }
    return new Activity(running, queued, byTenant, own);
  }

  private void lockTenants(Connection connection, Collection<String> tenantIds)
      throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(dialect.lockTenant())) {
      for (String tenant : tenantIds.stream().sorted().toList()) {
        lock.setString(1, tenant);
        try (ResultSet rows = lock.executeQuery()) {
          while (rows.next()) {
            // reading the row takes the lock
          }
        }
      }
    }
  }

  /**
   * Extends the leases this node holds on claimed schedules and queued runs to {@code leaseUntil},
   * each fenced by the epoch it was claimed with. Returns the ids whose lease is no longer this
   * node's (the row was changed, deleted or taken over): their held copies must be dropped.
   */
  public Set<UUID> renew(
      String owner, List<Lease> schedules, List<Lease> queuedRuns, Instant leaseUntil) {
    return db.inTransaction(
        connection -> {
          Set<UUID> lost = new HashSet<>();
          renew(connection, "schedules", owner, schedules, leaseUntil, lost);
          renew(connection, "runs", owner, queuedRuns, leaseUntil, lost);
          return lost;
        });
  }

  private void renew(
      Connection connection,
      String table,
      String owner,
      List<Lease> leases,
      Instant leaseUntil,
      Set<UUID> lost)
      throws SQLException {
    if (leases.isEmpty()) {
      return;
    }
    List<Lease> ordered = Statements.inIdOrder(leases, lease -> lease.id());
    try (PreparedStatement renew =
        connection.prepareStatement(
            "UPDATE "
                + table
                + " SET lease_until = ? WHERE id = ? AND lease_owner = ? AND lease_epoch = ?")) {
      for (Lease lease : ordered) {
        dialect.setInstant(renew, 1, leaseUntil);
        renew.setString(2, lease.id().toString());
        renew.setString(3, owner);
        renew.setLong(4, lease.epoch());
        renew.addBatch();
      }
      int[] counts = renew.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (!Statements.changed(counts[i])) {
          lost.add(ordered.get(i).id());
        }
      }
    }
  }

  /**
   * Starts fires, all in one transaction: locks the schedules of the chunk, reads what they and
   * their tenants have in flight, lets {@code decide} plan from that (it may run again if the
   * database aborts the transaction, so it must have no effects of its own), and writes the plan.
   * Each scheduled fire moves its schedule on and writes its runs; each queued run becomes running
   * or waits longer. A fire whose lease was lost (the schedule was changed, disabled, deleted or
   * taken over) writes nothing and is left out of the result: it must not be sent. Rows are locked
   * in one order (schedules by id, then runs by id). A run marked running here stays this node's
   * ({@code lease_owner}) until its result is written.
   */
  public StartResult start(
      String owner,
      Collection<UUID> scheduleIds,
      Collection<String> tenantIds,
      Function<Activity, StartWrites> decide,
      Instant now) {
    return db.inTransaction(
        connection -> {
          // every start locks its schedules, then its tenants, before it counts their runs, so
          // two nodes starting runs of one schedule (its fire, a queued retry) or of one tenant
          // at one moment count each other's: max_concurrency and the tenant's cap hold across
          // nodes. Tenants come after schedules: the result writer takes schedules, then (by the
          // foreign key of a retry it inserts) its tenant, so the two never wait in a circle.
          Finisher.lockSchedules(connection, dialect, scheduleIds);
          lockTenants(connection, tenantIds);
          StartWrites writes = decide.apply(activity(connection, owner, scheduleIds, tenantIds));
          return write(connection, owner, writes, now, true);
        });
  }

  /**
   * What a claim that starts its fires at once wrote: the fires it started, how many schedules it
   * claimed, and those of them it leased instead of starting (held back, or left to be decided at
   * their instant), with their new lease epochs.
   */
  public record ClaimStart(StartResult result, int claimed, List<ClaimedSchedule> leased) {
    public static final ClaimStart NONE =
        new ClaimStart(new StartResult(Set.of(), Set.of()), 0, List.of());
  }

  /**
   * Claims due schedules as {@link #claimSchedules(String, Instant, Instant, Instant, Instant, int,
   * Instant)} does and starts them in the same transaction, for a node whose claims are due within
   * its start horizon anyway (a burst, a node near its limit): a fire then writes its schedule's
   * row once, when it moves on, instead of once for the lease and again for the start. {@code
   * decide} plans from the claimed schedules (epochs as read) and what is in flight, as for {@link
   * #start}; the claimed schedules it does not move on are leased to {@code owner} until {@code
   * leaseUntil}.
   */
  public ClaimStart claimAndStart(
      String owner,
      Instant dueFrom,
      Instant dueBy,
      Instant now,
      Instant leaseUntil,
      int limit,
      Instant ownBefore,
      BiFunction<List<ClaimedSchedule>, Activity, StartWrites> decide) {
    return db.inTransaction(
        connection -> {
          // the select locks its schedules without waiting (it passes over locked ones), then the
          // tenants are locked as a start locks them, so the lock order stays that of start()
          List<ClaimedSchedule> selected =
              claims.selectDue(connection, owner, dueFrom, dueBy, now, limit, ownBefore);
          if (selected.isEmpty()) {
            return ClaimStart.NONE;
          }
          Set<UUID> scheduleIds = new HashSet<>();
          Set<String> tenantIds = new HashSet<>();
          for (ClaimedSchedule row : selected) {
            scheduleIds.add(row.id());
            tenantIds.add(row.tenantId());
          }
          lockTenants(connection, tenantIds);
          StartWrites writes =
              decide.apply(selected, activity(connection, owner, scheduleIds, tenantIds));
          StartResult result = write(connection, owner, writes, now, false);
          Set<UUID> moving = new HashSet<>();
          writes.scheduleStarts().forEach(start -> moving.add(start.scheduleId()));
          List<ClaimedSchedule> rest =
              selected.stream().filter(row -> !moving.contains(row.id())).toList();
          return new ClaimStart(
              result, selected.size(), claims.lease(connection, owner, leaseUntil, rest));
        });
  }

  /**
   * Writes a start's plan. With {@code leased}, each schedule moves on only while this node's lease
   * on it holds; else (its row locked by this transaction's claim) while its epoch is the one read.
   */
  private StartResult write(
      Connection connection, String owner, StartWrites writes, Instant now, boolean leased)
      throws SQLException {
    List<ScheduleStart> scheduleStarts = writes.scheduleStarts();
    List<RunStart> runStarts = writes.runStarts();
    List<RunDeferral> deferrals = writes.deferrals();
    Set<UUID> started = new HashSet<>();
    Set<UUID> cancelled = new HashSet<>();
    List<ScheduleStart> kept = advance(connection, owner, scheduleStarts, leased);
    Set<String> taken = existingKeys(connection, kept);
    List<RunStore.NewRun> inserts = new ArrayList<>();
    for (ScheduleStart start : kept) {
      if (start.cancelRunning()) {
        cancelled.addAll(cancelRunning(connection, start.scheduleId(), now));
      }
      for (Run run : start.recorded()) {
        if (taken.add(run.runKey() + "#" + run.attempt())) {
          inserts.add(RunStore.NewRun.of(run));
        }
      }
      if (start.start().isPresent()) {
        StartedRun s = start.start().get();
        // an instant already recorded (a rare race with an edit) is not sent twice
        if (taken.add(s.run().runKey() + "#" + s.run().attempt())) {
          inserts.add(
              new RunStore.NewRun(
                  s.run(),
                  Optional.of(s.deadlineAt()),
                  Optional.of(s.callbackTokenHash()),
                  Optional.of(owner)));
          started.add(s.run().id());
        }
      }
    }
    RunStore.insert(connection, dialect, inserts);
    started.addAll(beginQueued(connection, owner, runStarts));
    defer(connection, owner, deferrals);
    return new StartResult(started, cancelled);
  }

  private Set<UUID> beginQueued(Connection connection, String owner, List<RunStart> runStarts)
      throws SQLException {
    Set<UUID> started = new HashSet<>();
    if (runStarts.isEmpty()) {
      return started;
    }
    RunStatus.QUEUED.checkMove(RunStatus.RUNNING);
    List<RunStart> ordered = Statements.inIdOrder(runStarts, start -> start.runId());
    try (PreparedStatement begin =
        connection.prepareStatement(
            "UPDATE runs SET status = 'running', started_at = ?, deadline_at = ?,"
                + " callback_token_hash = ?, lease_until = NULL"
                + " WHERE id = ? AND status = 'queued' AND lease_owner = ?"
                + " AND lease_epoch = ?")) {
      for (RunStart start : ordered) {
        dialect.setInstant(begin, 1, start.startAt());
        dialect.setInstant(begin, 2, start.deadlineAt());
        begin.setString(3, start.callbackTokenHash());
        begin.setString(4, start.runId().toString());
        begin.setString(5, owner);
        begin.setLong(6, start.leaseEpoch());
        begin.addBatch();
      }
      int[] counts = begin.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (Statements.changed(counts[i])) {
          started.add(ordered.get(i).runId());
        }
      }
    }
    return started;
  }

  private void defer(Connection connection, String owner, List<RunDeferral> deferrals)
      throws SQLException {
    if (deferrals.isEmpty()) {
      return;
    }
    List<RunDeferral> ordered = Statements.inIdOrder(deferrals, deferral -> deferral.runId());
    try (PreparedStatement defer =
        connection.prepareStatement(
            "UPDATE runs SET due_at = ?, lease_owner = NULL, lease_until = NULL"
                + " WHERE id = ? AND status = 'queued' AND lease_owner = ?"
                + " AND lease_epoch = ?")) {
      for (RunDeferral deferral : ordered) {
        dialect.setInstant(defer, 1, deferral.dueAt());
        defer.setString(2, deferral.runId().toString());
        defer.setString(3, owner);
        defer.setLong(4, deferral.leaseEpoch());
        defer.addBatch();
      }
      defer.executeBatch();
    }
  }

  /** The run keys (with attempt, as {@code key#attempt}) of the kept starts already on record. */
  private Set<String> existingKeys(Connection connection, List<ScheduleStart> kept)
      throws SQLException {
    Set<String> keys = new HashSet<>();
    List<Run> wanted = new ArrayList<>();
    for (ScheduleStart start : kept) {
      start.start().ifPresent(s -> wanted.add(s.run()));
      wanted.addAll(start.recorded());
    }
    for (List<Run> part : Statements.parts(wanted)) {
      try (PreparedStatement select =
              dialect.findsRunKeysBySchedule()
                  ? keysBySchedule(connection, part)
                  : keysByKey(connection, part);
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          keys.add(rows.getString("run_key") + "#" + rows.getInt("attempt"));
        }
      }
    }
    return keys;
  }

  /** The read of {@link #existingKeys} by {@code run_key}, bound for these runs. */
  private PreparedStatement keysByKey(Connection connection, List<Run> part) throws SQLException {
    // a key's runs all have the instant it names: the chunk's instants bound the days to read
    Instant earliest = part.stream().map(Run::scheduledAt).min(Instant::compareTo).orElseThrow();
    Instant latest = part.stream().map(Run::scheduledAt).max(Instant::compareTo).orElseThrow();
    PreparedStatement select =
        connection.prepareStatement(
            "SELECT run_key, attempt FROM runs WHERE "
                + dialect.oneOf("run_key", part.size())
                + " AND scheduled_at BETWEEN ? AND ?");
    // on PostgreSQL one array, so that the statement is the same for every chunk and its plan is
    // made once, not once per call over every day's partition
    int next = dialect.bindOneOf(connection, select, 1, part.stream().map(Run::runKey).toList());
    dialect.setInstant(select, next, earliest.minusSeconds(1));
    dialect.setInstant(select, next + 1, latest.plusSeconds(1));
    return select;
  }

  /** H2's unique index of runs by instant, schedule and attempt (its V18). */
  static final String H2_INSTANT_KEY = "uq_runs_instant_schedule_attempt";

  /**
   * The read of {@link #existingKeys} where runs have no index of their key (H2), bound for these
   * runs: each is looked up by its instant and schedule, the columns its unique key leads with, in
   * one join; the caller compares the keys found whole. The instant is cast to the column's type,
   * so it is rounded as it was when the run was written and found by equality: a range of instants
   * would read every run of that range (a whole burst) for each lookup.
   */
  private PreparedStatement keysBySchedule(Connection connection, List<Run> part)
      throws SQLException {
    PreparedStatement select = connection.prepareStatement(keysByInstantSql(part.size()));
    int i = 1;
    for (Run run : part) {
      dialect.setInstant(select, i++, run.scheduledAt());
      select.setString(i++, run.scheduleId().toString());
    }
    return select;
  }

  /**
   * The statement of {@link #keysBySchedule} for {@code count} runs, each bound as its instant and
   * then its schedule id.
   */
  static String keysByInstantSql(int count) {
    String wanted =
        String.join(
            ", ",
            Collections.nCopies(
                count, "(" + Statements.H2_INSTANT_PARAMETER + ", CAST(? AS VARCHAR(36)))"));
    return "SELECT r.run_key, r.attempt FROM (VALUES "
        + wanted
        + ") AS w (scheduled_at, schedule_id) JOIN runs r USE INDEX ("
        + H2_INSTANT_KEY
        + ") ON r.scheduled_at = w.scheduled_at AND r.schedule_id = w.schedule_id";
  }

  /** Moves each schedule to its next fire, fenced by its lease; returns those that moved. */
  private List<ScheduleStart> advance(
      Connection connection, String owner, List<ScheduleStart> starts, boolean leased)
      throws SQLException {
    if (starts.isEmpty()) {
      return List.of();
    }
    List<ScheduleStart> ordered = Statements.inIdOrder(starts, start -> start.scheduleId());
    List<ScheduleStart> kept = new ArrayList<>();
    try (PreparedStatement advance =
        connection.prepareStatement(
            "UPDATE schedules SET next_fire_at = ?, last_fire_at = ?, lease_owner = NULL,"
                + " lease_until = NULL WHERE id = ? AND (lease_owner = ? OR ?)"
                + " AND lease_epoch = ? AND enabled = TRUE")) {
      for (ScheduleStart start : ordered) {
        dialect.setInstant(advance, 1, start.nextFireAt().orElse(null));
        dialect.setInstant(advance, 2, start.lastFireAt());
        advance.setString(3, start.scheduleId().toString());
        advance.setString(4, owner);
        advance.setBoolean(5, !leased);
        advance.setLong(6, start.leaseEpoch());
        advance.addBatch();
      }
      int[] counts = advance.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (Statements.changed(counts[i])) {
          kept.add(ordered.get(i));
        }
      }
    }
    return kept;
  }

  private List<UUID> cancelRunning(Connection connection, UUID scheduleId, Instant now)
      throws SQLException {
    RunStatus.RUNNING.checkMove(RunStatus.CANCELLED);
    List<UUID> ids = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id FROM runs WHERE "
                + dialect.inFlightScheduleColumn()
                + " = ? AND status = 'running' ORDER BY id"
                + " FOR UPDATE")) {
      select.setString(1, scheduleId.toString());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ids.add(UUID.fromString(rows.getString("id")));
        }
      }
    }
    try (PreparedStatement cancel =
        connection.prepareStatement(
            "UPDATE runs SET status = 'cancelled', finished_at = ?, error_code = 'overlap',"
                + " error_message = 'cancelled by a newer fire (overlap_policy cancel_running)',"
                + " callback_token_hash = NULL, lease_owner = NULL"
                + " WHERE id = ? AND status = 'running'")) {
      for (UUID id : ids) {
        dialect.setInstant(cancel, 1, now);
        cancel.setString(2, id.toString());
        cancel.addBatch();
      }
      cancel.executeBatch();
    }
    return ids;
  }

  /**
   * A run marked running ahead of its instant that a stopping node will not send after all: a
   * scheduled fire puts its schedule back on {@code instant} (if nothing moved it since), a queued
   * run goes back to the queue.
   */
  public record Unstart(
      UUID runId,
      UUID scheduleId,
      boolean scheduledFire,
      Instant instant,
      Optional<Instant> previousLastFireAt,
      Optional<Instant> advancedTo) {}

  /**
   * Takes back runs marked running ahead of their instant that {@code owner} has not sent, so
   * another node (or this one, started again) sends them on time. Returns how many were taken back.
   */
  public int unstart(String owner, List<Unstart> runs) {
    if (runs.isEmpty()) {
      return 0;
    }
    return db.inTransaction(
        connection -> {
          List<Unstart> fires = runs.stream().filter(Unstart::scheduledFire).toList();
          List<Unstart> queued = runs.stream().filter(u -> !u.scheduledFire()).toList();
          Finisher.lockSchedules(
              connection, dialect, runs.stream().map(Unstart::scheduleId).toList());
          int taken = 0;
          for (Unstart fire : fires) {
            try (PreparedStatement back =
                connection.prepareStatement(
                    "UPDATE schedules SET next_fire_at = ?, last_fire_at = ? WHERE id = ?"
                        + " AND enabled = TRUE AND "
                        + (fire.advancedTo().isPresent()
                            ? "next_fire_at = ?"
                            : "next_fire_at IS NULL"))) {
              dialect.setInstant(back, 1, fire.instant());
              dialect.setInstant(back, 2, fire.previousLastFireAt().orElse(null));
              back.setString(3, fire.scheduleId().toString());
              if (fire.advancedTo().isPresent()) {
                dialect.setInstant(back, 4, fire.advancedTo().get());
              }
              if (back.executeUpdate() == 0) {
                continue; // changed meanwhile: the change decides what fires next
              }
            }
            try (PreparedStatement drop =
                connection.prepareStatement(
                    "DELETE FROM runs WHERE id = ? AND status = 'running' AND lease_owner = ?")) {
              drop.setString(1, fire.runId().toString());
              drop.setString(2, owner);
              taken += drop.executeUpdate();
            }
          }
          if (!queued.isEmpty()) {
            RunStatus.RUNNING.checkMove(RunStatus.QUEUED);
            try (PreparedStatement back =
                connection.prepareStatement(
                    "UPDATE runs SET status = 'queued', started_at = NULL, deadline_at = NULL,"
                        + " callback_token_hash = NULL, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND status = 'running' AND lease_owner = ?")) {
              for (Unstart run : queued) {
                back.setString(1, run.runId().toString());
                back.setString(2, owner);
                back.addBatch();
              }
              for (int count : back.executeBatch()) {
                taken += Statements.changed(count) ? 1 : 0;
              }
            }
          }
          if (taken > 0) {
            WakeUps.announce(connection, dialect, WakeUps.Change.SCHEDULE);
          }
          return taken;
        });
  }

  /** Gives back every lease {@code owner} holds on work it has not started. */
  public int releaseLeases(String owner) {
    return db.inTransaction(
        connection -> {
          int released = 0;
          try (PreparedStatement schedules =
              connection.prepareStatement(
                  "UPDATE schedules SET lease_owner = NULL, lease_until = NULL"
                      + " WHERE lease_owner = ?")) {
            schedules.setString(1, owner);
            released += schedules.executeUpdate();
          }
          try (PreparedStatement runs =
              connection.prepareStatement(
                  "UPDATE runs SET lease_owner = NULL, lease_until = NULL"
                      + " WHERE lease_owner = ? AND status = 'queued'")) {
            runs.setString(1, owner);
            released += runs.executeUpdate();
          }
          if (released > 0) {
            // the other nodes take the work at once, not at their next look behind their marks
            WakeUps.announce(connection, dialect, WakeUps.Change.SCHEDULE);
          }
          return released;
        });
  }
}
