package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chime apply} on a folder of files changed between runs, and {@code chime export}. */
class ApplyCliTest {
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

  private static String schedule(String name, String cron) {
    return "name: "
        + name
        + "\n"
        + "trigger: {type: cron, expr: \""
        + cron
        + "\", timezone: Europe/Berlin}\n"
        + "target: {url: \"http://127.0.0.1:9/"
        + name
        + "\"}\n"
        + "payload: {job: "
        + name
        + "}\n";
  }

  private static JsonNode schedules(String label) {
    return cli.run("-o", "json", "schedules", "list", "--label", label).json();
  }

  @Test
  void aFolderChangedBetweenRunsIsMatchedByName(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("backup.yaml"), schedule("git-backup", "0 2 * * *"));
    Files.writeString(
        dir.resolve("reports.yaml"),
        schedule("git-report-a", "0 9 * * 1-5")
            + "---\n"
            + schedule("git-report-b", "*/15 * * * *"));
    Files.writeString(dir.resolve("README.md"), "not a schedule");

    Cli.Result first = cli.run("apply", dir.toString(), "--owner", "git");
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(first.out())
        .contains("+ create git-backup", "+ create git-report-a", "+ create git-report-b")
        .contains("created 3, updated 0, deleted 0, 0 unchanged");
    assertThat(schedules("managed-by=git")).hasSize(3);

    Cli.Result again = cli.run("apply", dir.toString(), "--owner", "git");
    assertThat(again.out()).contains("created 0, updated 0, deleted 0, 3 unchanged");

    // a change, a schedule gone from the files, a new one, and one made by hand beside them
    Files.writeString(dir.resolve("backup.yaml"), schedule("git-backup", "0 3 * * *"));
    Files.writeString(dir.resolve("reports.yaml"), schedule("git-report-a", "0 9 * * 1-5"));
    Files.writeString(
        dir.resolve("cleanup.json"),
        "{\"name\":\"git-cleanup\",\"trigger\":{\"type\":\"interval\",\"seconds\":3600},"
            + "\"target\":{\"url\":\"http://127.0.0.1:9/c\",\"method\":\"DELETE\"}}");
    cli.run("s", "create", "--name", "by-hand", "--every", "1h", "--url", "http://127.0.0.1:9/h");

    Cli.Result dry = cli.run("apply", dir.toString(), "--owner", "git", "--prune", "--dry-run");
    assertThat(dry.exit()).as(dry.toString()).isZero();
    assertThat(dry.out())
        .contains("~ update git-backup", "trigger.expr: \"0 2 * * *\" -> \"0 3 * * *\"")
        .contains("+ create git-cleanup", "- delete git-report-b", "= unchanged git-report-a")
        .contains("dry run, nothing changed: would create 1, update 1, delete 1, 1 unchanged")
        .doesNotContain("by-hand");
    assertThat(schedules("managed-by=git")).hasSize(3);

    JsonNode applied =
        cli.run("-o", "json", "apply", dir.toString(), "--owner", "git", "--prune").json();
    assertThat(applied.path("counts").toString())
        .isEqualTo("{\"create\":1,\"update\":1,\"delete\":1,\"unchanged\":1}");
    JsonNode owned = schedules("managed-by=git");
    assertThat(owned).hasSize(3);
    assertThat(owned.findValuesAsText("name"))
        .containsExactlyInAnyOrder("git-backup", "git-report-a", "git-cleanup");
    assertThat(cli.run("s", "get", "by-hand").exit()).isZero();
    assertThat(
            cli.run("-o", "json", "s", "get", "git-backup")
                .json()
                .path("trigger")
                .path("expr")
                .asText())
        .isEqualTo("0 3 * * *");

    assertThat(cli.run("apply", dir.toString(), "--owner", "git", "--prune").out())
        .contains("created 0, updated 0, deleted 0, 3 unchanged");
  }

  @Test
  void aScheduleOfTheSameNameIsTakenOverOnlyWhenAsked(@TempDir Path dir) throws Exception {
    cli.run(
        "s", "create", "--name", "shared-name", "--every", "1h", "--url", "http://127.0.0.1:9/h");
    Files.writeString(dir.resolve("s.yaml"), schedule("shared-name", "0 1 * * *"));

    Cli.Result refused = cli.run("apply", dir.toString(), "--owner", "team-a");
    assertThat(refused.exit()).isEqualTo(3);
    assertThat(refused.err())
        .contains("without the label managed-by=team-a; --adopt takes it over");
    assertThat(
            cli.run("-o", "json", "s", "get", "shared-name")
                .json()
                .path("trigger")
                .path("type")
                .asText())
        .isEqualTo("interval");

    Cli.Result adopted = cli.run("apply", dir.toString(), "--owner", "team-a", "--adopt");
    assertThat(adopted.out())
        .contains("~ update shared-name", "labels.managed-by: (none) -> \"team-a\"");
    assertThat(cli.run("apply", "--prune", dir.toString()).exit()).isEqualTo(1);
  }

  @Test
  void filesWithErrorsChangeNothingAndNameEveryError(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("a.yaml"), "name: bad-a\ntrigger: {type: cron}\ntarget: {url: http://x/}\n");
    Files.writeString(
        dir.resolve("b.yaml"),
        "schedules:\n- name: ok-b\n  trigger: {type: interval, seconds: 60}\n  target: {url: http://x/, timout_ms: 5}\n");
    Files.writeString(dir.resolve("c.yaml"), "name: [unclosed\n");

    Cli.Result result = cli.run("apply", dir.toString());
    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.err())
        .contains("a.yaml: trigger.expr: missing")
        .contains("b.yaml: schedules[0]: target.timout_ms: unknown field")
        .contains("c.yaml: cannot be read");
    assertThat(cli.run("s", "get", "ok-b").exit()).isEqualTo(2);

    Files.writeString(dir.resolve("a.yaml"), schedule("twice", "@daily"));
    Files.writeString(dir.resolve("b.yaml"), schedule("twice", "@hourly"));
    Files.delete(dir.resolve("c.yaml"));
    assertThat(cli.run("apply", dir.toString()).err()).contains("the name 'twice' is also in");
  }

  @Test
  void anExportAppliesBackUnchanged(@TempDir Path dir) throws Exception {
    cli.run(
        "s",
        "create",
        "--name",
        "exp-every-5",
        "--cron",
        "*/5 * * * *",
        "--tz",
        "Asia/Shanghai",
        "--url",
        "http://127.0.0.1:9/e",
        "--label",
        "exp=yes",
        "--payload",
        "{\"on\":\"yes\",\"n\":[1,2.5,null],\"s\":\"0123\"}",
        "--header",
        "X-Token=abc:def",
        "--description",
        "a: tricky # text");
    cli.run(
        "s",
        "create",
        "--name",
        "exp-once",
        "--at",
        "2030-01-01T10:00:00+02:00",
        "--url",
        "http://127.0.0.1:9/o",
        "--label",
        "exp=yes",
        "--disabled");

    Cli.Result yaml = cli.run("export", "--label", "exp=yes");
    assertThat(yaml.exit()).isZero();
    assertThat(yaml.out())
        .startsWith("schedules:")
        .contains("name: exp-every-5", "at: 2030-01-01T08:00:00Z")
        .doesNotContain("next_fire_at", "id:");
    Path file = dir.resolve("all.yaml");
    Files.writeString(file, yaml.out());
    assertThat(cli.run("apply", file.toString()).out())
        .contains("created 0, updated 0, deleted 0, 2 unchanged");

    Path split = dir.resolve("split");
    assertThat(
            cli.run("export", "--label", "exp=yes", "--dir", split.toString(), "--format", "json")
                .exit())
        .isZero();
    assertThat(Files.exists(split.resolve("exp-once.json"))).isTrue();
    assertThat(cli.run("apply", split.toString()).out()).contains("2 unchanged");

    Files.writeString(
        split.resolve("exp-once.json"),
        Files.readString(split.resolve("exp-once.json"))
            .replace("\"enabled\" : false", "\"enabled\" : true"));
    assertThat(cli.run("apply", split.toString()).out()).contains("enabled: false -> true");
  }
}
