package dev.chime.store;

import static dev.chime.testing.ScheduleBuilder.aSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.alert.AlertRule;
import dev.chime.alert.Channel;
import dev.chime.alert.ChannelKind;
import dev.chime.alert.Delivery;
import dev.chime.alert.Incident;
import dev.chime.alert.RuleKind;
import dev.chime.audit.Actor;
import dev.chime.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * The alert tables on every database: many nodes racing to open one incident open one and write its
 * deliveries once, one closes it, one claims each delivery, and a delivery not sent by its claimer
 * is claimed again once the lease is over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AlertStoreContractTest {
  private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

  private Database db;
  private AlertStore alerts;
  private DeliveryStore deliveries;
  private ChannelStore channels;
  private AlertRuleStore rules;
  private ScheduleStore schedules;
  private IncidentStore incidents;

  abstract DatabaseSettings settings();

  @BeforeAll
  void open() {
    db = Database.open(settings());
    alerts = new AlertStore(db);
    deliveries = new DeliveryStore(db);
    channels = new ChannelStore(db);
    rules = new AlertRuleStore(db);
    schedules = new ScheduleStore(db);
    incidents = new IncidentStore(db);
  }

  @AfterAll
  void close() {
    db.close();
  }

  private AlertRule rule(Schedule schedule, UUID channel) {
    AlertRule rule =
        new AlertRule(
            UUID.randomUUID(),
            "default",
            Optional.of(schedule.id()),
            RuleKind.FAILURES,
            1,
            "{}",
            List.of(channel),
            true,
            T0,
            T0);
    rules.insert(rule, Actor.CHIME, AlertRule::toString);
    return rule;
  }

  private UUID channel() {
    UUID id = UUID.randomUUID();
    channels.insert(
        new Channel(id, "default", "c-" + id, ChannelKind.SLACK, "{}", "sealed", T0, T0),
        Actor.CHIME,
        Channel::name);
    return id;
  }

  @Test
  void nodesRacingToOpenOneIncidentOpenOneAndWriteItsDeliveriesOnce() throws Exception {
    Schedule schedule = aSchedule().build();
    schedules.insert(schedule);
    UUID channel = channel();
    AlertRule rule = rule(schedule, channel);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<Boolean>> racers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        racers.add(
            () ->
                alerts.open(
                    new AlertStore.NewIncident(
                        UUID.randomUUID(),
                        rule,
                        schedule.id().toString(),
                        T0,
                        T0,
                        1,
                        Optional.empty(),
                        Optional.of("http_status: 500")),
                    List.of(
                        Delivery.of("default", channel, Optional.empty(), "opened", "{}", T0))));
      }
      int opened = 0;
      for (Future<Boolean> result : pool.invokeAll(racers)) {
        opened += result.get() ? 1 : 0;
      }
      assertThat(opened).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
    List<AlertStore.OpenIncident> open = alerts.openIncidents(List.of(RuleKind.FAILURES));
    AlertStore.OpenIncident incident =
        open.stream().filter(i -> i.rule().id().equals(rule.id())).findFirst().orElseThrow();
    assertThat(deliveries.claimDue("a", T0, T0.plusSeconds(60), 100))
        .extracting(Delivery::channelId)
        .containsExactly(channel);
    assertThat(deliveries.claimDue("b", T0, T0.plusSeconds(60), 100))
        .as("claimed by a until its lease ends")
        .noneMatch(d -> d.channelId().equals(channel));

    assertThat(alerts.close(incident.id(), T0, List.of())).isTrue();
    assertThat(alerts.close(incident.id(), T0, List.of())).as("closed once").isFalse();
    // once closed, the trouble can open a new incident
    assertThat(
            alerts.open(
                new AlertStore.NewIncident(
                    UUID.randomUUID(),
                    rule,
                    schedule.id().toString(),
                    T0,
                    T0,
                    1,
                    Optional.empty(),
                    Optional.empty()),
                List.of()))
        .isTrue();
  }

  @Test
  void aDeliveryItsClaimerDidNotSendIsClaimedAgainAfterTheLease() {
    UUID channel = channel();
    Instant at = T0.plus(Duration.ofDays(1));
    Delivery delivery = Delivery.of("default", channel, Optional.empty(), "test", "{}", at);
    deliveries.enqueue(List.of(delivery));
    assertThat(deliveries.claimDue("a", at, at.plusSeconds(60), 100))
        .extracting(Delivery::id)
        .contains(delivery.id());
    assertThat(deliveries.claimDue("b", at.plusSeconds(30), at.plusSeconds(90), 100))
        .extracting(Delivery::id)
        .doesNotContain(delivery.id());
    List<Delivery> again = deliveries.claimDue("b", at.plusSeconds(61), at.plusSeconds(121), 100);
    assertThat(again).extracting(Delivery::id).contains(delivery.id());
    // a's late report is not taken: b holds it now
    deliveries.finished(
        List.of(delivery.id()), "a", at.plusSeconds(62), Optional.empty(), Optional.empty());
    deliveries.finished(
        List.of(delivery.id()),
        "b",
        at.plusSeconds(62),
        Optional.of("HTTP 503"),
        Optional.of(at.plusSeconds(72)));
    assertThat(deliveries.claimDue("c", at.plusSeconds(71), at.plusSeconds(131), 100))
        .extracting(Delivery::id)
        .doesNotContain(delivery.id());
    List<Delivery> retried = deliveries.claimDue("c", at.plusSeconds(72), at.plusSeconds(132), 100);
    assertThat(retried).extracting(Delivery::id).contains(delivery.id());
    assertThat(
            retried.stream()
                .filter(d -> d.id().equals(delivery.id()))
                .findFirst()
                .orElseThrow()
                .attempts())
        .isEqualTo(1);
    deliveries.finished(
        List.of(delivery.id()), "c", at.plusSeconds(73), Optional.empty(), Optional.empty());
    assertThat(
            deliveries.claimDue("d", at.plus(Duration.ofDays(1)), at.plus(Duration.ofDays(2)), 100))
        .extracting(Delivery::id)
        .doesNotContain(delivery.id());
  }

  @Test
  void incidentsAreListedInTheOrderTheyOpenedByStateRuleAndSchedulePageByPage() {
    Schedule one = aSchedule().build();
    Schedule two = aSchedule().build();
    schedules.insert(one);
    schedules.insert(two);
    UUID channel = channel();
    AlertRule ofOne = rule(one, channel);
    AlertRule ofTwo = rule(two, channel);
    List<UUID> opened = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UUID id = UUID.randomUUID();
      AlertRule rule = i == 2 ? ofTwo : ofOne;
      Schedule schedule = i == 2 ? two : one;
      assertThat(
              alerts.open(
                  new AlertStore.NewIncident(
                      id,
                      rule,
                      schedule.id().toString(),
                      T0.plusSeconds(i),
                      T0.plusSeconds(10 + i),
                      2,
                      Optional.empty(),
                      Optional.of("http_status: 503")),
                  List.of()))
          .isTrue();
      if (i == 0) {
        alerts.close(id, T0.plusSeconds(11), List.of());
      }
      opened.add(id);
    }
    IncidentStore.Filter ofRuleOne =
        new IncidentStore.Filter(Incident.State.ANY, Optional.of(ofOne.id()), Optional.empty());

    Page<Incident> first = incidents.list("default", ofRuleOne, Optional.empty(), 1);
    assertThat(first.items()).extracting(Incident::id).containsExactly(opened.get(0));
    assertThat(first.items().get(0).open()).isFalse();
    assertThat(first.items().get(0).closedAt()).contains(T0.plusSeconds(11));
    assertThat(first.items().get(0).subjectName()).contains(one.spec().name());
    Page<Incident> second = incidents.list("default", ofRuleOne, first.nextCursor(), 1);
    assertThat(second.items()).extracting(Incident::id).containsExactly(opened.get(1));
    assertThat(second.items().get(0).open()).isTrue();
    assertThat(second.nextCursor()).as("the rule has two incidents").isEmpty();
    assertThat(
            incidents
                .list(
                    "default",
                    new IncidentStore.Filter(
                        Incident.State.OPEN, Optional.empty(), Optional.of(two.id().toString())),
                    Optional.empty(),
                    10)
                .items())
        .extracting(Incident::id)
        .containsExactly(opened.get(2));
    assertThat(
            incidents
                .list(
                    "default",
                    new IncidentStore.Filter(
                        Incident.State.CLOSED, Optional.of(ofTwo.id()), Optional.empty()),
                    Optional.empty(),
                    10)
                .items())
        .isEmpty();
    Incident read = incidents.get("default", opened.get(2)).orElseThrow();
    assertThat(read.kind()).isEqualTo(RuleKind.FAILURES);
    assertThat(read.seen()).isEqualTo(2);
    assertThat(read.lastError()).contains("http_status: 503");
    assertThat(incidents.get("another-tenant", opened.get(2))).isEmpty();
  }

  @Test
  void aChannelAndARuleAreChangedInPlaceWithTheirAuditEvents() {
    Schedule schedule = aSchedule().build();
    schedules.insert(schedule);
    UUID channel = channel();
    UUID other = channel();
    AlertRule rule = rule(schedule, channel);
    Instant later = T0.plusSeconds(60);

    Channel renamed =
        channels
            .update(
                "default",
                channel,
                c ->
                    new Channel(
                        c.id(),
                        c.tenantId(),
                        "renamed-" + c.id(),
                        c.kind(),
                        "{\"url\":\"x\"}",
                        "sealed-2",
                        c.createdAt(),
                        later),
                Actor.CHIME,
                Channel::name)
            .orElseThrow();
    assertThat(channels.get("default", channel).orElseThrow()).isEqualTo(renamed);
    String taken = channels.get("default", other).orElseThrow().name();
    assertThatThrownBy(
            () ->
                channels.update(
                    "default",
                    channel,
                    c ->
                        new Channel(
                            c.id(),
                            c.tenantId(),
                            taken,
                            c.kind(),
                            c.settingsJson(),
                            c.sealedSecret(),
                            c.createdAt(),
                            later),
                    Actor.CHIME,
                    Channel::name))
        .isInstanceOf(dev.chime.ConflictException.class);
    assertThat(channels.update("default", UUID.randomUUID(), c -> c, Actor.CHIME, Channel::name))
        .isEmpty();

    AlertRule changed =
        rules
            .update(
                "default",
                rule.id(),
                r -> telling(r, other, later),
                Actor.CHIME,
                AlertRule::toString)
            .orElseThrow();
    assertThat(rules.get("default", rule.id()).orElseThrow()).isEqualTo(changed);
    assertThatThrownBy(
            () ->
                rules.update(
                    "default",
                    rule.id(),
                    r -> telling(r, UUID.randomUUID(), later),
                    Actor.CHIME,
                    AlertRule::toString))
        .isInstanceOf(dev.chime.InvalidInputException.class);
    assertThat(rules.get("default", rule.id()).orElseThrow().channelIds()).containsExactly(other);
  }

  /** {@code rule} changed to threshold 7, disabled, telling {@code channel} only. */
  private static AlertRule telling(AlertRule rule, UUID channel, Instant at) {
    return new AlertRule(
        rule.id(),
        rule.tenantId(),
        rule.scheduleId(),
        rule.kind(),
        7,
        rule.paramsJson(),
        List.of(channel),
        false,
        rule.createdAt(),
        at);
  }
}
