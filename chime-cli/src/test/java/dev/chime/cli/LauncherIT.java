package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.server.testing.ChimeTestNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/chime}, the launcher a user runs, on the packaged jar: output and exit codes. */
class LauncherIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Path LAUNCHER = Path.of("..", "bin", "chime").toAbsolutePath().normalize();
  private static ChimeTestNode node;

  @TempDir static Path home;

  record Ran(int exit, String out, String err) {}

  @BeforeAll
  static void start() {
    node = ChimeTestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static Ran chime(String... args) throws IOException, InterruptedException {
    return chime(
        Map.of("CHIME_URL", node.url("").toString(), "CHIME_TOKEN", ChimeTestNode.ADMIN_TOKEN),
        args);
  }

  private static Ran chime(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("CHIME_URL");
    builder.environment().remove("CHIME_TOKEN");
    builder.environment().put("HOME", home.toString());
    builder.environment().put("CHIME_CLI_JAR", System.getProperty("chime.cli.jar"));
    builder.environment().putAll(env);
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS))
        .as("bin/chime " + String.join(" ", args))
        .isTrue();
    return new Ran(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void aScriptCanRelyOnTheOutputAndTheExitCodes() throws Exception {
    Ran help = chime("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Usage: chime", "schedules", "runs", "apply", "Exit codes:");

    Ran made =
        chime(
            "schedules",
            "create",
            "--name",
            "launched",
            "--cron",
            "0 9 * * 1-5",
            "--tz",
            "Asia/Shanghai",
            "--url",
            "http://127.0.0.1:9/hook",
            "-o",
            "json");
    assertThat(made.exit()).as(made.err()).isZero();
    JsonNode schedule = MAPPER.readTree(made.out());
    assertThat(schedule.path("trigger").path("timezone").asText()).isEqualTo("Asia/Shanghai");

    Ran list = chime("schedules", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out().lines().toList())
        .hasSize(2)
        .last()
        .asString()
        .contains("launched", "yes");

    Ran preview = chime("cron", "0 9 * * 1-5", "--tz", "Asia/Shanghai", "--count", "2");
    assertThat(preview.out()).startsWith("At 09:00, Monday through Friday (Asia/Shanghai)");

    assertThat(chime("schedules", "get", "not-there").exit()).isEqualTo(2);
    assertThat(
            chime(
                    "schedules",
                    "create",
                    "--name",
                    "launched",
                    "--every",
                    "1h",
                    "--url",
                    "http://127.0.0.1:9/x")
                .exit())
        .isEqualTo(3);
    Ran auth =
        chime(
            Map.of(
                "CHIME_URL",
                node.url("").toString(),
                "CHIME_TOKEN",
                "chime_not-a-token-of-this-node-000000"),
            "schedules",
            "list");
    assertThat(auth.exit()).isEqualTo(4);
    assertThat(auth.err()).contains("the token was refused");
    Ran down =
        chime(Map.of("CHIME_URL", "http://127.0.0.1:1", "CHIME_TOKEN", "t"), "schedules", "list");
    assertThat(down.exit()).isEqualTo(5);
    Ran usage = chime("schedules", "frobnicate");
    assertThat(usage.exit()).isEqualTo(1);
    assertThat(usage.err()).contains("Unmatched argument");
  }

  @Test
  void appliesAFolderAndCompletesTheShell(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("a.yaml"),
        "name: launched-apply\ntrigger: {type: interval, seconds: 600}\ntarget: {url: \"http://127.0.0.1:9/a\"}\n");
    Ran applied = chime("apply", dir.toString(), "--owner", "it");
    assertThat(applied.exit()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("+ create launched-apply", "created 1");
    assertThat(chime("apply", dir.toString(), "--owner", "it").out()).contains("1 unchanged");

    Ran completion = chime("generate-completion");
    assertThat(completion.exit()).isZero();
    assertThat(completion.out()).contains("complete -F", "schedules", "apply");
  }
}
