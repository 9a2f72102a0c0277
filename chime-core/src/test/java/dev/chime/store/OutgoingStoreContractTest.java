package dev.chime.store;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.audit.Actor;
import dev.chime.schedule.HttpTarget;
import dev.chime.schedule.Schedule;
import dev.chime.schedule.ScheduleSpec;
import dev.chime.schedule.SecretValue;
import dev.chime.schedule.TargetJson;
import dev.chime.store.SigningSecretStore.NewSecret;
import dev.chime.store.SigningSecretStore.StoredSecret;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * What the stores of outgoing calls must do the same on every database: one first signing secret
 * however many nodes ask at once, rotations and their grace, allow-lists, the sealing key's id, and
 * secret headers kept sealed. Each test uses a tenant of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OutgoingStoreContractTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

  private Database db;
  private SigningSecretStore secrets;

  abstract DatabaseSettings settings();

  @BeforeAll
  void open() {
    db = Database.open(settings());
    secrets = new SigningSecretStore(db);
  }

  @AfterAll
  void close() {
    db.close();
  }

  private String tenant() {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    db.inTransaction(
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO tenants (id, name, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
            insert.setString(1, id);
            insert.setString(2, id);
            return insert.executeUpdate();
          }
        });
    return id;
  }

  private static NewSecret secret(String text) {
    return new NewSecret(UUID.randomUUID(), "v1.sealed." + text);
  }

  @Test
  void nodesAskingAtOnceForATenantsFirstSecretMakeOne() throws Exception {
    String tenant = tenant();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<List<StoredSecret>>> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String text = "n" + i;
      answers.add(
          pool.submit(
              (Callable<List<StoredSecret>>)
                  () -> secrets.signingOrFirst(tenant, T0, secret(text))));
    }
    Set<UUID> ids = new java.util.HashSet<>();
    for (Future<List<StoredSecret>> answer : answers) {
      List<StoredSecret> signing = answer.get();
      assertThat(signing).hasSize(1);
      ids.add(signing.get(0).id());
    }
    pool.shutdown();

    assertThat(ids).hasSize(1);
    assertThat(secrets.signing(tenant, T0))
        .extracting(StoredSecret::id)
        .containsExactlyElementsOf(ids);
  }

  @Test
  void aRotatedSecretSignsThroughItsGraceAndIsDeletedAtTheNextRotationAfterIt() {
    String tenant = tenant();
    StoredSecret first = secrets.signingOrFirst(tenant, T0, secret("first")).get(0);

    List<StoredSecret> during =
        secrets.rotate(
            tenant, T0.plusSeconds(10), T0.plusSeconds(3610), secret("second"), Actor.CHIME);

    assertThat(during)
        .extracting(StoredSecret::sealed)
        .containsExactly("v1.sealed.first", "v1.sealed.second");
    assertThat(during.get(0).expiresAt()).hasValue(T0.plusSeconds(3610));
    assertThat(during.get(1).expiresAt()).isEmpty();
    assertThat(secrets.signing(tenant, T0.plusSeconds(3609))).hasSize(2);
    assertThat(secrets.signing(tenant, T0.plusSeconds(3610)))
        .extracting(StoredSecret::sealed)
        .containsExactly("v1.sealed.second");

    List<StoredSecret> later =
        secrets.rotate(
            tenant, T0.plusSeconds(7200), T0.plusSeconds(7200), secret("third"), Actor.CHIME);

    assertThat(later).extracting(StoredSecret::sealed).containsExactly("v1.sealed.third");
    assertThat(rows("SELECT sealed FROM signing_secrets WHERE tenant_id = '" + tenant + "'"))
        .containsExactlyInAnyOrder("v1.sealed.second", "v1.sealed.third")
        .doesNotContain(first.sealed());
  }

  @Test
  void anAllowListIsKeptAsWrittenAndAnEmptyOneRemoved() {
    String tenant = tenant();
    TargetAllowListStore lists = new TargetAllowListStore(db);

    lists.replace(tenant, List.of("api.example.com", "10.1.0.0/16"), T0, Actor.CHIME);
    assertThat(lists.entries(tenant)).containsExactly("api.example.com", "10.1.0.0/16");
    lists.replace(tenant, List.of(), T0, Actor.CHIME);
    assertThat(
            new AuditStore(db)
                .list(
                    tenant,
                    new dev.chime.audit.AuditQuery(
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.of("target-policy.update"),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        10))
                .items())
        .hasSize(2);

    assertThat(lists.entries(tenant)).isEmpty();
    assertThat(rows("SELECT tenant_id FROM target_allowlists WHERE tenant_id = '" + tenant + "'"))
        .isEmpty();
  }

  @Test
  void theDatabaseKeepsTheIdOfTheFirstSealingKeyItMeets() {
    String mine = SealingKeys.claim(db, "aaaa0001", T0).orElse("aaaa0001");

    assertThat(SealingKeys.claim(db, mine, T0)).isEmpty();
    assertThat(SealingKeys.claim(db, "ffff9999", T0)).hasValue(mine);
  }

  @Test
  void aSecretHeaderIsStoredSealedAndReadBackSealed() {
    ScheduleStore schedules = new ScheduleStore(db);
    ScheduleSpec base = aSchedule().every(60).spec();
    HttpTarget target =
        base.target()
            .withSecretHeaders(Map.of("Authorization", new SecretValue.Sealed("v1.k.abc")));
    Schedule schedule = aSchedule().every(60).build();
    Schedule withSecret =
        new Schedule(
            schedule.id(),
            schedule.tenantId(),
            new ScheduleSpec(
                base.name() + UUID.randomUUID(),
                base.description(),
                base.enabled(),
                base.trigger(),
                target,
                base.payloadJson(),
                base.policy()),
            schedule.nextFireAt(),
            schedule.lastFireAt(),
            schedule.createdAt(),
            schedule.updatedAt(),
            schedule.health());

    schedules.insert(withSecret);

    assertThat(
            schedules
                .get(schedule.tenantId(), schedule.id())
                .orElseThrow()
                .spec()
                .target()
                .secretHeaders())
        .containsEntry("Authorization", new SecretValue.Sealed("v1.k.abc"));
    assertThat(rows("SELECT target_json FROM schedules WHERE id = '" + schedule.id() + "'"))
        .singleElement()
        .satisfies(json -> assertThat(json).contains("{\"secret\":true,\"sealed\":\"v1.k.abc\"}"));
    assertThatThrownBy(
            () ->
                TargetJson.toStored(
                    target.withSecretHeaders(Map.of("X", new SecretValue.Given("plain")))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must be sealed before it is stored");
  }

  private List<String> rows(String sql) {
    return db.inTransaction(
        connection -> {
          try (PreparedStatement select = connection.prepareStatement(sql);
              ResultSet rows = select.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
              values.add(rows.getString(1));
            }
            return values;
          }
        });
  }
}
