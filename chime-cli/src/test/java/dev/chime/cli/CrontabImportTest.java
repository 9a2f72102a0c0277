package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chime import crontab} on a crontab with every feature cron files use. */
class CrontabImportTest {
  private static final String CRONTAB =
      """
      # m h dom mon dow command
      MAILTO=ops@example.com
      SHELL=/bin/bash
      30 2 * * * /usr/local/bin/backup.sh --full
      CRON_TZ=Asia/Shanghai
      0 9 * * 1-5   /opt/report/send-report daily
      # chime: url=http://127.0.0.1:9/cleanup name=tmp-cleanup method=PUT
      @hourly find /tmp -mtime +7 -delete
      */15 * * * * mail -s "hi" root %line one%line two\\%
      @reboot /usr/bin/start-agent
      """;

  private static ChimeTestNode node;
  private static Cli cli;

  @BeforeAll
  static void start() {
    node = ChimeTestNode.start();
    cli = new Cli(node);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void readsTheLinesAsCronDoes() {
    Crontab.Reading reading =
        Crontab.read(CRONTAB.lines().toList(), ZoneId.of("Europe/Berlin"), false);
    assertThat(reading.jobs())
        .extracting(job -> job.expr() + " | " + job.zone() + " | " + job.command())
        .containsExactly(
            "30 2 * * * | Europe/Berlin | /usr/local/bin/backup.sh --full",
            "0 9 * * 1-5 | Asia/Shanghai | /opt/report/send-report daily",
            "@hourly | Asia/Shanghai | find /tmp -mtime +7 -delete",
            "*/15 * * * * | Asia/Shanghai | mail -s \"hi\" root");
    assertThat(reading.jobs().get(3).stdin()).contains("line one\nline two%");
    assertThat(reading.jobs().get(2).directives())
        .containsEntry("url", "http://127.0.0.1:9/cleanup")
        .containsEntry("method", "PUT");
    assertThat(reading.notes()).hasSize(2).anyMatch(note -> note.startsWith("MAILTO is ignored"));
    assertThat(reading.refused())
        .singleElement()
        .asString()
        .startsWith("line 10: @reboot is refused: Chime fires at times of the clock");

    Crontab.Reading system =
        Crontab.read(
            List.of(
                "17 * * * * root cd / && run-parts --report /etc/cron.hourly", "5 4 * * sun root"),
            ZoneId.of("UTC"),
            true);
    assertThat(system.jobs())
        .singleElement()
        .satisfies(
            job -> {
              assertThat(job.user()).contains("root");
              assertThat(job.command()).isEqualTo("cd / && run-parts --report /etc/cron.hourly");
            });
    assertThat(system.refused())
        .singleElement()
        .asString()
        .startsWith("line 2: a system crontab line needs a user");
    assertThat(
            Crontab.read(
                    List.of("CRON_TZ=Mars/Olympus", "@fortnightly x", "1 2 3"),
                    ZoneId.of("UTC"),
                    false)
                .refused())
        .hasSize(3);
    assertThat(CrontabImportCommand.slug("/usr/local/bin/backup.sh --full --all --more"))
        .isEqualTo("backup-sh-full-all");
  }

  @Test
  void importsEveryLineItCanAndRefusesTheRestWithTheReason(@TempDir Path dir) throws Exception {
    Path crontab = dir.resolve("crontab");
    Files.writeString(crontab, CRONTAB);
    String[] args = {
      "import",
      "crontab",
      crontab.toString(),
      "--url",
      "http://127.0.0.1:9/run",
      "--tz",
      "Europe/Berlin",
      "--label",
      "from=crontab"
    };

    Cli.Result refused = cli.run(args);
    assertThat(refused.exit()).isEqualTo(3);
    assertThat(refused.err())
        .contains("note: MAILTO is ignored", "note: SHELL is ignored")
        .contains("nothing was imported", "line 10: @reboot is refused");
    assertThat(cli.run("-o", "json", "s", "list", "--label", "from=crontab").json()).isEmpty();

    Cli.Result dry = cli.run(append(args, "--dry-run"));
    assertThat(dry.exit()).isEqualTo(3);
    assertThat(dry.out())
        .contains(
            "+ create cron-backup-sh-full",
            "cron 30 2 * * * (Europe/Berlin), POST http://127.0.0.1:9/run")
        .contains("+ create cron-send-report-daily", "cron 0 9 * * 1-5 (Asia/Shanghai)")
        .contains(
            "+ create tmp-cleanup", "cron @hourly (Asia/Shanghai), PUT http://127.0.0.1:9/cleanup")
        .contains("+ create cron-mail-s-hi", "would create 4");
    assertThat(dry.err()).contains("refused: line 10: @reboot");
    assertThat(cli.run("-o", "json", "s", "list", "--label", "from=crontab").json()).isEmpty();

    Cli.Result imported = cli.run(append(args, "--skip-refused"));
    assertThat(imported.exit()).as(imported.toString()).isZero();
    assertThat(imported.err()).contains("skipped: line 10: @reboot");
    assertThat(imported.out()).contains("created 4, updated 0, deleted 0, 0 unchanged");
    JsonNode mail = cli.run("-o", "json", "s", "get", "cron-mail-s-hi").json();
    assertThat(mail.path("payload").toString())
        .isEqualTo("{\"command\":\"mail -s \\\"hi\\\" root\",\"stdin\":\"line one\\nline two%\"}");
    assertThat(mail.path("trigger").path("timezone").asText()).isEqualTo("Asia/Shanghai");
    assertThat(mail.path("description").asText())
        .startsWith("imported from crontab: */15 * * * * mail");

    assertThat(cli.run(append(args, "--skip-refused")).out()).contains("4 unchanged");
  }

  @Test
  void aLineWithoutATargetOrWithAnImpossibleDateIsRefused(@TempDir Path dir) throws Exception {
    Path crontab = dir.resolve("crontab");
    Files.writeString(crontab, "0 0 31 2 * never\n0 25 * * * bad-hour\n");
    Cli.Result noUrl = cli.run("import", "crontab", crontab.toString(), "--tz", "UTC");
    assertThat(noUrl.exit()).isEqualTo(3);
    assertThat(noUrl.err()).contains("line 1: no target: give --url");

    Cli.Result bad =
        cli.run(
            "import",
            "crontab",
            crontab.toString(),
            "--tz",
            "UTC",
            "--url",
            "http://127.0.0.1:9/x");
    assertThat(bad.exit()).isEqualTo(3);
    assertThat(bad.err()).contains("line 1: '0 0 31 2 *' never fires", "line 2: expr: hour field");
  }

  private static String[] append(String[] args, String more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }
}
