package dev.chime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.Tenants;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chime's error answers as the client's exceptions, carrying what the answer said. */
class ClientErrorsTest {
  private static ChimeTestNode node;
  private static Chime admin;

  @BeforeAll
  static void start() {
    node = ChimeTestNode.start();
    admin = Chime.create(base(), ChimeTestNode.ADMIN_TOKEN);
  }

  @AfterAll
  static void stop() {
    admin.close();
    node.close();
  }

  private static String base() {
    return node.url("").toString();
  }

  private static ScheduleSpec spec(String name, Trigger trigger, String url) {
    return ScheduleSpec.builder(name, trigger, HttpTarget.post(url)).build();
  }

  @Test
  void badInputNamesEveryField() {
    assertThatThrownBy(
            () ->
                admin.createSchedule(spec("bad", Trigger.cron("0 25 * * *"), "ftp://example.com")))
        .asInstanceOf(type(InvalidInputException.class))
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errors())
                  .extracting(FieldError::field)
                  .containsExactlyInAnyOrder("trigger.expr", "target.url");
              assertThat(e.errors().get(0).reason()).isNotBlank();
              assertThat(e.problem().type()).isEqualTo("urn:chime:problem:invalid-input");
              assertThat(e.getMessage()).startsWith("POST /api/v1/schedules: 400 Invalid input");
            });
  }

  @Test
  void aTakenNameIsAConflict() {
    admin.createSchedule(spec("taken", Trigger.cron("@daily"), "http://127.0.0.1:1/x"));
    assertThatThrownBy(
            () ->
                admin.createSchedule(spec("taken", Trigger.cron("@daily"), "http://127.0.0.1:1/x")))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("409");
  }

  @Test
  void anUnknownIdIsNotFound() {
    UUID id = UUID.randomUUID();
    assertThatThrownBy(() -> admin.getRun(id))
        .asInstanceOf(type(NotFoundException.class))
        .satisfies(e -> assertThat(e.problem().text("id")).contains(id.toString()));
  }

  @Test
  void aLimitNamesItselfAndItsValue() {
    Tenants.create(node, "small", "{\"max_enabled_schedules\":1}");
    try (Chime small = Chime.create(base(), Tenants.token(node, "small", "admin"))) {
      small.createSchedule(spec("one", Trigger.cron("@daily"), "http://127.0.0.1:1/x"));
      assertThatThrownBy(
              () ->
                  small.createSchedule(spec("two", Trigger.cron("@daily"), "http://127.0.0.1:1/x")))
          .asInstanceOf(type(QuotaExceededException.class))
          .satisfies(
              e -> {
                assertThat(e.status()).isEqualTo(422);
                assertThat(e.limit()).contains("max_enabled_schedules");
                assertThat(e.value()).contains(1L);
                assertThat(e.field()).contains("enabled");
              });
    }
  }

  @Test
  void aBadTokenIsUnauthorizedAndAMissingScopeForbidden() {
    try (Chime stranger = Chime.create(base(), "chime_not-a-token-of-this-node-at-all-0000")) {
      assertThatThrownBy(stranger::currentToken).isInstanceOf(UnauthorizedException.class);
    }
    String reader = Tenants.token(node, "default", "schedules:read");
    try (Chime readOnly = Chime.create(base(), reader)) {
      assertThat(readOnly.listSchedules(ScheduleQuery.all()).firstPage()).isNotNull();
      assertThatThrownBy(
              () ->
                  readOnly.createSchedule(
                      spec("nope", Trigger.cron("@daily"), "http://127.0.0.1:1/x")))
          .asInstanceOf(type(ForbiddenException.class))
          .satisfies(e -> assertThat(e.scope()).contains("schedules:write"));
    }
  }

  @Test
  void aServerThatIsNotThereIsAConnectionError() {
    try (Chime nowhere =
        Chime.builder("http://127.0.0.1:1")
            .token("t")
            .retryBackoff(java.time.Duration.ofMillis(1))
            .build()) {
      assertThatThrownBy(nowhere::currentToken)
          .asInstanceOf(type(ChimeConnectionException.class))
          .satisfies(
              e -> {
                assertThat(e.timedOut()).isFalse();
                assertThat(e.getMessage()).contains("after 3 attempts");
              });
    }
  }
}
