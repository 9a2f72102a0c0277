package dev.chime.store;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.ConflictException;
import dev.chime.QuotaExceededException;
import dev.chime.audit.Actor;
import dev.chime.audit.AuditEvent;
import dev.chime.audit.AuditQuery;
import dev.chime.tenant.ApiToken;
import dev.chime.tenant.Quotas;
import dev.chime.tenant.Scope;
import dev.chime.tenant.Tenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tenants, tokens and the audit trail on every database: each change and its event committed
 * together, the trail read newest first and filtered, and the limit of enabled schedules exact
 * while many writers switch schedules on at once. Each test uses tenants of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccessStoreContractTest {
  private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
  private static final Actor ACTOR = Actor.token(UUID.randomUUID(), "tester");

  private Database db;
  private TenantStore tenants;
  private TokenStore tokens;
  private AuditStore audit;
  private ScheduleStore schedules;

  abstract DatabaseSettings settings();

  @BeforeAll
  void open() {
    db = Database.open(settings());
    tenants = new TenantStore(db);
    tokens = new TokenStore(db);
    audit = new AuditStore(db);
    schedules = new ScheduleStore(db);
  }

  @AfterAll
  void close() {
    db.close();
  }

  private String aTenant() {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    tenants.insert(new Tenant(id, "Tenant " + id, T0, Quotas.Overrides.NONE), ACTOR, Tenant::id);
    return id;
  }

  private static AuditQuery all() {
    return new AuditQuery(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        AuditQuery.MAX_LIMIT);
  }

  @Test
  void aTenantKeepsItsOwnLimitsAndEachChangeIsOnItsTrail() {
    String id = aTenant();
    Quotas.Overrides own =
        new Quotas.Overrides(
            OptionalInt.of(3), OptionalInt.empty(), OptionalInt.of(7), OptionalInt.empty());
    tenants.update(
        id,
        t -> new Tenant(id, "Renamed", t.createdAt(), own),
        ACTOR,
        T0.plusSeconds(1),
        t -> t.name());
    Tenant read = tenants.get(id).orElseThrow();
    assertThat(read.name()).isEqualTo("Renamed");
    assertThat(read.quotas()).isEqualTo(own);
    assertThatThrownBy(
            () ->
                tenants.insert(
                    new Tenant(id, "again", T0, Quotas.Overrides.NONE), ACTOR, Tenant::id))
        .isInstanceOf(ConflictException.class);

    List<AuditEvent> events = audit.list(id, all()).items();
    assertThat(events)
        .extracting(AuditEvent::action)
        .containsExactly("tenant.update", "tenant.create");
    assertThat(events.get(0).before()).contains("Tenant " + id);
    assertThat(events.get(0).after()).contains("Renamed");
    assertThat(events.get(0).actor()).isEqualTo(ACTOR);
  }

  @Test
  void aTenantWithSchedulesIsNotDeletedAndAnEmptyOneGoesWithItsTokens() {
    String id = aTenant();
    var schedule = aSchedule().inTenant(id).build();
    schedules.insert(schedule);
    ApiToken token = token(id, "hash-" + UUID.randomUUID());
    tokens.insert(token, ACTOR, ApiToken::name);
    assertThat(tenants.delete(id, ACTOR, T0, Tenant::id))
        .isEqualTo(TenantStore.DeleteResult.NOT_EMPTY);
    schedules.delete(id, schedule.id(), ScheduleStore.Writer.CHIME, T0);
    assertThat(tenants.delete(id, ACTOR, T0, Tenant::id))
        .isEqualTo(TenantStore.DeleteResult.DELETED);
    assertThat(tenants.get(id)).isEmpty();
    assertThat(tokens.findByHash(token.tokenHash())).isEmpty();
    assertThat(tenants.delete(id, ACTOR, T0, Tenant::id))
        .isEqualTo(TenantStore.DeleteResult.NOT_FOUND);
    // the trail outlives the tenant
    assertThat(audit.list(id, all()).items())
        .extracting(AuditEvent::action)
        .contains("tenant.delete");
  }

  @Test
  void aTokenIsFoundByItsHashAndARevocationIsKept() {
    String id = aTenant();
    ApiToken token = token(id, "hash-" + UUID.randomUUID());
    tokens.insert(token, ACTOR, ApiToken::name);
    assertThat(tokens.findByHash(token.tokenHash())).contains(token);
    assertThat(tokens.get("default", token.id())).isEmpty();

    ApiToken revoked =
        tokens.revoke(id, token.id(), ACTOR, T0.plusSeconds(5), ApiToken::name).orElseThrow();
    assertThat(revoked.revokedAt()).contains(T0.plusSeconds(5));
    assertThat(revoked.activeAt(T0.plusSeconds(6))).isFalse();
    assertThat(tokens.findByHash(token.tokenHash()).orElseThrow().revokedAt())
        .contains(T0.plusSeconds(5));
    // a second revocation changes nothing and writes no event
    tokens.revoke(id, token.id(), ACTOR, T0.plusSeconds(9), ApiToken::name);
    assertThat(tokens.get(id, token.id()).orElseThrow().revokedAt()).contains(T0.plusSeconds(5));
    assertThat(tokens.revoke("default", token.id(), ACTOR, T0, ApiToken::name)).isEmpty();
    assertThat(audit.list(id, all()).items())
        .extracting(AuditEvent::action)
        .containsExactly("token.revoke", "token.create", "tenant.create");
  }

  @Test
  void theTrailIsReadNewestFirstFilteredAndPaged() {
    String id = aTenant();
    List<UUID> made = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      var schedule = aSchedule().inTenant(id).named("s" + i).createdAt(T0.plusSeconds(i)).build();
      schedules.insert(schedule, new ScheduleStore.Writer(ACTOR, Long.MAX_VALUE));
      made.add(schedule.id());
    }
    List<AuditEvent> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<AuditEvent> page =
          audit.list(
              id,
              new AuditQuery(
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of("schedule.create"),
                  Optional.empty(),
                  Optional.empty(),
                  cursor,
                  3));
      seen.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(seen)
        .extracting(AuditEvent::objectId)
        .containsExactlyElementsOf(made.reversed().stream().map(UUID::toString).toList());
    Page<AuditEvent> one =
        audit.list(
            id,
            new AuditQuery(
                Optional.of(made.get(2).toString()),
                Optional.of(ACTOR.tokenId().orElseThrow().toString()),
                Optional.empty(),
                Optional.of(T0.plusSeconds(2)),
                Optional.of(T0.plusSeconds(3)),
                Optional.empty(),
                10));
    assertThat(one.items()).hasSize(1);
    assertThat(one.items().get(0).after().orElseThrow()).contains("\"name\":\"s2\"");
  }

  @Test
  void manyWritersAtOnceNeverTakeATenantPastItsEnabledSchedules() throws Exception {
    String id = aTenant();
    int limit = 5;
    List<Callable<Boolean>> writers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int n = i;
      writers.add(
          () -> {
            try {
              schedules.insert(
                  aSchedule().inTenant(id).named("w" + n).build(),
                  new ScheduleStore.Writer(ACTOR, limit));
              return true;
            } catch (QuotaExceededException e) {
              return false;
            }
          });
    }
    int written = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (Future<Boolean> result : pool.invokeAll(writers)) {
        written += result.get() ? 1 : 0;
      }
    }
    assertThat(written).isEqualTo(limit);
    assertThat(
            schedules
                .list(
                    id,
                    new ScheduleQuery(Optional.of(true), Optional.empty(), Optional.empty(), 100))
                .items())
        .hasSize(limit);
  }

  private static ApiToken token(String tenant, String hash) {
    return new ApiToken(
        UUID.randomUUID(),
        tenant,
        "ci",
        hash,
        "chime_abcd",
        EnumSet.of(Scope.SCHEDULES_READ),
        T0.plusSeconds(1),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
