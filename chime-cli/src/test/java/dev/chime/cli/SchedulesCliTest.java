package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.Tenants;
import dev.chime.testing.TargetServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code chime schedules}, {@code runs} and {@code cron} against a real node: output and exit
 * codes.
 */
class SchedulesCliTest {
  private static ChimeTestNode node;
  private static TargetServer target;
  private static Cli cli;

  @BeforeAll
  static void start() {
    node = ChimeTestNode.start();
    target = new TargetServer();
    cli = new Cli(node);
  }

  @AfterAll
  static void stop() {
    target.close();
    node.close();
  }

  private static String url(String path) {
    return target.url(path).toString();
  }

  @Test
  void makesListsChangesAndDeletesASchedule() {
    Cli.Result made =
        cli.run(
            "schedules",
            "create",
            "--name",
            "cli-report",
            "--cron",
            "0 9 * * 1-5",
            "--tz",
            "Asia/Shanghai",
            "--url",
            url("/report"),
            "--label",
            "team=sales",
            "--payload",
            "{\"report\":\"daily\"}");
    assertThat(made.exit()).as(made.toString()).isZero();
    assertThat(made.out())
        .contains("name:", "cli-report", "cron 0 9 * * 1-5 (Asia/Shanghai)", "team=sales");

    Cli.Result list = cli.run("schedules", "list", "--label", "team=sales");
    assertThat(list.out()).startsWith("ID").contains("cli-report", "yes");

    JsonNode json = cli.run("schedules", "get", "cli-report", "--output", "json").json();
    assertThat(json.path("payload").path("report").asText()).isEqualTo("daily");
    String id = json.path("id").asText();
    assertThat(cli.run("-o", "json", "schedules", "get", id).json().path("name").asText())
        .isEqualTo("cli-report");

    Cli.Result updated =
        cli.run(
            "schedules",
            "update",
            "cli-report",
            "--cron",
            "0 10 * * *",
            "--remove-label",
            "team",
            "--label",
            "env=prod");
    assertThat(updated.exit()).as(updated.toString()).isZero();
    JsonNode after = cli.run("-o", "json", "s", "get", id).json();
    assertThat(after.path("trigger").path("expr").asText()).isEqualTo("0 10 * * *");
    assertThat(after.path("trigger").path("timezone").asText()).isEqualTo("Asia/Shanghai");
    assertThat(after.path("labels").toString()).isEqualTo("{\"env\":\"prod\"}");

    assertThat(cli.run("schedules", "disable", "cli-report").out()).contains("cli-report disabled");
    assertThat(cli.run("schedules", "list", "--disabled").out()).contains("cli-report");
    assertThat(cli.run("schedules", "enable", "cli-report").out())
        .contains("cli-report enabled, next fire 20");

    assertThat(cli.run("schedules", "delete", "cli-report").out())
        .contains("deleted cli-report (" + id + ")");
    Cli.Result gone = cli.run("schedules", "get", id);
    assertThat(gone.exit()).isEqualTo(2);
    assertThat(gone.err()).contains("not found");
  }

  @Test
  void makesAScheduleFromAFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("s.yaml");
    Files.writeString(
        file,
        "name: from-file\ntrigger: {type: interval, seconds: 3600}\ntarget: {url: \""
            + url("/f")
            + "\"}\n");
    Cli.Result made = cli.run("schedules", "create", "-f", file.toString());
    assertThat(made.exit()).as(made.toString()).isZero();
    assertThat(made.out()).contains("every 3600s");

    Files.writeString(
        file,
        "name: from-file\ntrigger: {type: interval, seconds: 60}\ntarget: {url: \""
            + url("/g")
            + "\"}\n");
    assertThat(cli.run("schedules", "update", "from-file", "--file", file.toString()).out())
        .contains("every 60s", "/g");

    Cli.Result both = cli.run("schedules", "create", "-f", file.toString(), "--name", "x");
    assertThat(both.exit()).isEqualTo(1);
    assertThat(both.err()).contains("--file holds the whole schedule");
  }

  @Test
  void runsNowWaitsAndListsRetriesAndCancelsRuns() {
    target.answer(
        received ->
            received.path().equals("/slow-ack")
                ? TargetServer.Answer.status(202)
                : received.path().equals("/broken")
                    ? TargetServer.Answer.status(500)
                    : TargetServer.Answer.ok());
    cli.run("s", "create", "--name", "cli-ok", "--every", "1h", "--url", url("/ok"));
    cli.run("s", "create", "--name", "cli-broken", "--every", "1h", "--url", url("/broken"));
    cli.run("s", "create", "--name", "cli-async", "--every", "1h", "--url", url("/slow-ack"));

    Cli.Result ok = cli.run("schedules", "run", "cli-ok", "--wait");
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("status:", "success", "http:", "200");

    Cli.Result broken = cli.run("schedules", "run", "cli-broken", "--wait");
    assertThat(broken.exit()).as(broken.toString()).isEqualTo(6);
    assertThat(broken.out()).contains("failed", "500");

    JsonNode runs = cli.run("-o", "json", "runs", "list", "cli-broken").json();
    assertThat(runs.size()).isGreaterThanOrEqualTo(1);
    String failed = runs.get(runs.size() - 1).path("id").asText();
    assertThat(cli.run("runs", "list", "cli-broken").out()).startsWith("ID").contains("failed");
    assertThat(cli.run("runs", "get", failed).out()).contains("error:", "http_status");

    Cli.Result async = cli.run("-o", "json", "schedules", "run", "cli-async");
    String running = async.json().path("id").asText();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () ->
                cli.run("-o", "json", "runs", "get", running).json().path("http_status").asInt()
                    == 202);
    assertThat(cli.run("runs", "cancel", running).out()).contains("cancelled");
    Cli.Result again = cli.run("runs", "cancel", running);
    assertThat(again.exit()).isEqualTo(3);
    assertThat(cli.run("-o", "json", "runs", "retry", running).json().path("attempt").asInt())
        .isEqualTo(2);
    assertThat(cli.run("runs", "get", "not-a-run").exit()).isEqualTo(2);
  }

  @Test
  void tailTellsNewRunsAsTheyHappen() throws Exception {
    cli.run("s", "create", "--name", "cli-tailed", "--every", "1h", "--url", url("/ok"));
    Thread trigger =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(1500);
                  } catch (InterruptedException e) {
                    return;
                  }
                  cli.run("s", "run", "cli-tailed");
                });
    Cli.Result tail = cli.run("runs", "tail", "cli-tailed", "--interval", "200ms", "--for", "6s");
    trigger.join();
    assertThat(tail.exit()).as(tail.toString()).isZero();
    assertThat(tail.out().lines().toList())
        .isNotEmpty()
        .allMatch(line -> line.contains("cli-tailed  ") && line.contains("attempt 1"))
        .last()
        .asString()
        .contains("success", "http 200");
  }

  @Test
  void previewsACron() {
    Cli.Result preview = cli.run("cron", "0 9 * * 1-5", "--tz", "Asia/Shanghai", "--count", "3");
    assertThat(preview.exit()).isZero();
    assertThat(preview.out().lines().toList())
        .hasSize(4)
        .first()
        .isEqualTo("At 09:00, Monday through Friday (Asia/Shanghai)");
    assertThat(preview.out()).contains("09:00:00 +08:00", "T01:00:00Z");
    assertThat(cli.run("cron", "0 25 * * *").exit()).isEqualTo(3);
  }

  @Test
  void exitCodesTellTheFailuresApart() {
    Cli.Result invalid =
        cli.run("s", "create", "--name", "x", "--cron", "0 25 * * *", "--url", "ftp://example.com");
    assertThat(invalid.exit()).isEqualTo(3);
    assertThat(invalid.err())
        .contains("trigger.expr: hour field", "target.url: must be an http or https URL");

    cli.run("s", "create", "--name", "taken", "--every", "1h", "--url", url("/x"));
    assertThat(
            cli.run("s", "create", "--name", "taken", "--every", "1h", "--url", url("/x")).exit())
        .isEqualTo(3);
    assertThat(cli.run("s", "get", "no-such-schedule").exit()).isEqualTo(2);
    assertThat(cli.run("s", "create", "--name", "y").exit()).isEqualTo(1);
    assertThat(cli.run("schedules", "lst").exit()).isEqualTo(1);
    assertThat(cli.run("--token", "chime_wrong-token-for-this-test-node-00000", "s", "list").exit())
        .isEqualTo(4);

    String reader = Tenants.token(node, "default", "schedules:read");
    Cli.Result forbidden =
        cli.run(
            "--token", reader, "s", "create", "--name", "z", "--every", "1h", "--url", url("/x"));
    assertThat(forbidden.exit()).isEqualTo(4);
    assertThat(forbidden.err()).contains("lacks the scope schedules:write");

    Cli.Result unreachable =
        cli.run("--server", "http://127.0.0.1:1", "--timeout", "2s", "s", "list");
    assertThat(unreachable.exit()).isEqualTo(5);
    assertThat(unreachable.err()).contains("could not connect");
  }

  @Test
  void theServerAndTokenComeFromFlagsTheEnvironmentOrTheConfigFile() throws Exception {
    Cli bare = new Cli(node).env("CHIME_URL", null).env("CHIME_TOKEN", null);
    // without flags, variables or a file the command asks localhost:8080: where no Chime runs it
    // cannot connect (5); where a developer's own does, that one refuses a call without a token (4)
    assertThat(bare.run("s", "list").exit()).isIn(4, 5);

    Path config = bare.home().resolve(".config/chime/config");
    Files.createDirectories(config.getParent());
    Files.writeString(
        config, "url = " + node.url("") + "\ntoken = " + ChimeTestNode.ADMIN_TOKEN + "\n");
    assertThat(bare.run("s", "list").exit()).isZero();

    Path tokenFile = bare.home().resolve("token");
    Files.writeString(tokenFile, "chime_a-token-that-is-not-there-at-all-000\n");
    assertThat(bare.run("--token-file", tokenFile.toString(), "s", "list").exit()).isEqualTo(4);
    assertThat(
            bare.env("CHIME_TOKEN", "chime_another-token-that-is-not-there-00")
                .run("s", "list")
                .exit())
        .isEqualTo(4);
  }
}
