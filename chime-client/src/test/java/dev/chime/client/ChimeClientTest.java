package dev.chime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.testing.TargetServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every call of the client against a real Chime node. */
class ChimeClientTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static ChimeTestNode node;
  private static TargetServer target;
  private static Chime chime;

  @BeforeAll
  static void start() {
    node = ChimeTestNode.start();
    target = new TargetServer();
    chime = Chime.create(node.url("").toString(), ChimeTestNode.ADMIN_TOKEN);
  }

  @AfterAll
  static void stop() {
    chime.close();
    target.close();
    node.close();
  }

  private static ScheduleSpec.Builder daily(String name) {
    return ScheduleSpec.builder(
        name,
        Trigger.cron("0 9 * * 1-5", "Asia/Shanghai"),
        HttpTarget.post(target.url("/hook").toString()));
  }

  @Test
  void createsReadsUpdatesPatchesAndDeletes() throws Exception {
    ScheduleSpec spec =
        daily("client-crud")
            .description("the weekday report")
            .label("team", "sales")
            .payload(MAPPER.readTree("{\"report\":\"daily\",\"n\":[1,2.5]}"))
            .retryPolicy(new RetryPolicy.Exponential(5, 10, 2.0, 600, 0.1))
            .overlapPolicy(OverlapPolicy.QUEUE_ONE)
            .autoDisableAfter(4)
            .build();

    Schedule made = chime.createSchedule(spec);
    assertThat(made.spec()).isEqualTo(spec);
    assertThat(made.nextFireAt()).isPresent();
    assertThat(chime.getSchedule(made.id())).isEqualTo(made);
    assertThat(chime.findSchedule("client-crud")).contains(made);
    assertThat(chime.findSchedule("client-cru")).isEmpty();

    ScheduleSpec replaced =
        ScheduleSpec.builder(
                "client-crud",
                Trigger.every(Duration.ofMinutes(5)),
                HttpTarget.post(target.url("/other").toString()))
            .build();
    Schedule updated = chime.updateSchedule(made.id(), replaced);
    assertThat(updated.spec()).isEqualTo(replaced);
    assertThat(updated.labels()).isEmpty();

    Schedule patched =
        chime.patchSchedule(
            made.id(),
            SchedulePatch.create()
                .label("env", "prod")
                .enabled(false)
                .target(HttpTarget.post(target.url("/patched").toString()).withMethod("PUT")));
    assertThat(patched.enabled()).isFalse();
    assertThat(patched.nextFireAt()).isEmpty();
    assertThat(patched.labels()).containsEntry("env", "prod");
    assertThat(patched.target())
        .isEqualTo(HttpTarget.post(target.url("/patched").toString()).withMethod("PUT"));
    assertThat(chime.patchSchedule(made.id(), SchedulePatch.create().removeLabel("env")).labels())
        .isEmpty();

    assertThat(chime.enableSchedule(made.id()).enabled()).isTrue();
    assertThat(chime.disableSchedule(made.id()).enabled()).isFalse();

    chime.deleteSchedule(made.id());
    assertThatThrownBy(() -> chime.getSchedule(made.id()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("GET /api/v1/schedules/" + made.id())
        .extracting(e -> ((NotFoundException) e).status())
        .isEqualTo(404);
  }

  @Test
  void listsEveryPageWithTheFilters() {
    for (int i = 0; i < 7; i++) {
      chime.createSchedule(
          daily("paged-" + i)
              .label("suite", "paging")
              .label("parity", i % 2 == 0 ? "even" : "odd")
              .enabled(i != 3)
              .description(i == 5 ? "the special one" : "")
              .build());
    }
    ScheduleQuery paging = ScheduleQuery.all().withLabel("suite=paging").withPageSize(3);

    Listing<Schedule> all = chime.listSchedules(paging);
    assertThat(all.stream().map(Schedule::name))
        .containsExactly(
            "paged-0", "paged-1", "paged-2", "paged-3", "paged-4", "paged-5", "paged-6");
    assertThat(all.firstPage().items()).hasSize(3);
    assertThat(all.firstPage().nextCursor()).isPresent();
    assertThat(all.page(all.firstPage().nextCursor().get()).items().get(0).name())
        .isEqualTo("paged-3");
    assertThat(all.stream().limit(2).toList()).hasSize(2);

    assertThat(chime.listSchedules(paging.withLabel("suite=paging,parity=odd")).toList())
        .extracting(Schedule::name)
        .containsExactly("paged-1", "paged-3", "paged-5");
    assertThat(chime.listSchedules(paging.withEnabled(false)).toList())
        .extracting(Schedule::name)
        .containsExactly("paged-3");
    assertThat(chime.listSchedules(paging.withText("SPECIAL")).toList())
        .extracting(Schedule::name)
        .containsExactly("paged-5");
    assertThat(chime.listSchedules(paging.withName("paged-6")).toList()).hasSize(1);
    assertThat(chime.listSchedules(paging.withLastStatus("none")).toList()).hasSize(7);

    BulkResult disabled =
        chime.bulk(
            BulkRequest.matching(BulkRequest.Action.DISABLE, paging.withLabel("parity=even")));
    assertThat(disabled.done()).isEqualTo(4);
    UUID missing = UUID.randomUUID();
    BulkResult deleted =
        chime.bulk(
            BulkRequest.of(
                BulkRequest.Action.DELETE, List.of(all.firstPage().items().get(0).id(), missing)));
    assertThat(deleted.done()).isEqualTo(1);
    assertThat(deleted.notFound()).isEqualTo(1);
    assertThat(deleted.results().get(1).id()).isEqualTo(missing);
    assertThat(chime.listSchedules(paging).toList()).hasSize(6);
  }

  @Test
  void runsNowListsRunsRetriesAndCancels() {
    target.answer(
        received ->
            received.path().equals("/accepting")
                ? TargetServer.Answer.status(202)
                : TargetServer.Answer.ok());
    Schedule schedule =
        chime.createSchedule(
            ScheduleSpec.builder(
                    "client-runs",
                    Trigger.once(Instant.now().plus(Duration.ofDays(30))),
                    HttpTarget.post(target.url("/accepting").toString()))
                .build());

    Run queued = chime.runNow(schedule.id());
    assertThat(queued.scheduleId()).isEqualTo(schedule.id());
    assertThat(queued.origin()).isEqualTo("manual");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> chime.getRun(queued.id()).httpStatus().equals(OptionalInt.of(202)));
    assertThat(chime.getRun(queued.id()).status()).isEqualTo(RunStatus.RUNNING);

    Run cancelled = chime.cancelRun(queued.id());
    assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
    assertThatThrownBy(() -> chime.cancelRun(queued.id())).isInstanceOf(ConflictException.class);

    Run retried = chime.retryRun(queued.id());
    assertThat(retried.attempt()).isEqualTo(2);
    assertThat(retried.runKey()).isEqualTo(queued.runKey());

    assertThat(chime.listRuns(schedule.id(), 1).stream().map(Run::id))
        .containsExactlyInAnyOrder(queued.id(), retried.id());
  }

  @Test
  void previewsCronAndTellsTheToken() {
    CronPreview preview = chime.previewCron("0 9 * * 1-5", "Asia/Shanghai", 3);
    assertThat(preview.description()).isEqualTo("At 09:00, Monday through Friday");
    assertThat(preview.fires()).hasSize(3);
    assertThat(preview.fires().get(0).local().getHour()).isEqualTo(9);
    assertThat(preview.fires().get(0).local().getOffset().getTotalSeconds()).isEqualTo(8 * 3600);

    TokenInfo token = chime.currentToken();
    assertThat(token.tenantId()).isEqualTo("default");
    assertThat(token.scopes()).contains("admin");
  }
}
