package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.testing.TargetServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  @Test
  void everyTargetShapeIsListedExportedAndAppliedBackUnchanged(@TempDir Path dir) throws Exception {
    try (TargetServer target = new TargetServer()) {
      String trigger = "\"trigger\":{\"type\":\"interval\",\"seconds\":3600}";
      String secretUrl = target.url("/secret").toString();
      String envelopeUrl = target.url("/envelope").toString();
      for (String body :
          List.of(
              "{\"name\":\"shape-secret\","
                  + trigger
                  + ",\"labels\":{\"shapes\":\"\"},\"target\":{\"url\":\""
                  + secretUrl
                  + "\",\"headers\":{\"X-Team\":\"ops\","
                  + "\"Authorization\":{\"value\":\"Bearer s3cr3t\",\"secret\":true}}}}",
              "{\"name\":\"shape-checkin\",\"labels\":{\"shapes\":\"\"},\"trigger\":{\"type\":\"cron\","
                  + "\"expr\":\"30 2 * * *\",\"timezone\":\"Europe/Berlin\"},"
                  + "\"target\":{\"type\":\"checkin\",\"grace_s\":900}}",
              "{\"name\":\"shape-envelope\","
                  + trigger
                  + ",\"labels\":{\"shapes\":\"\"},\"target\":{\"url\":\""
                  + envelopeUrl
                  + "\",\"body_format\":\"envelope\"}}")) {
        assertThat(node.post("/api/v1/schedules", body).status()).isEqualTo(201);
      }

      Ran table = chime("schedules", "list", "--label", "shapes");
      assertThat(table.exit()).as(table.err()).isZero();
      assertThat(table.out().lines().toList())
          .hasSize(4)
          .anySatisfy(line -> assertThat(line).contains("shape-checkin", "check-in, grace 900s"))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("shape-envelope", "POST " + envelopeUrl + " (envelope)"))
          .anySatisfy(line -> assertThat(line).contains("shape-secret", "POST " + secretUrl));
      Ran json = chime("-o", "json", "schedules", "list", "--label", "shapes");
      assertThat(json.exit()).as(json.err()).isZero();
      JsonNode listed = MAPPER.readTree(json.out());
      assertThat(listed.findValuesAsText("name"))
          .contains("shape-secret", "shape-checkin", "shape-envelope");
      assertThat(json.out()).doesNotContain("s3cr3t");
      Ran detail = chime("schedules", "get", "shape-secret");
      assertThat(detail.out()).contains("X-Team: ops, Authorization: (secret)");

      Ran export = chime("export", "--label", "shapes");
      assertThat(export.exit()).as(export.err()).isZero();
      assertThat(export.out())
          .doesNotContain("s3cr3t")
          .contains("value: '****'", "secret: true", "type: checkin", "grace_s: 900")
          .contains("body_format: envelope");
      Path file = dir.resolve("shapes.yaml");
      Files.writeString(file, export.out());
      assertThat(chime("apply", file.toString()).out()).contains("3 unchanged");

      // every schedule changed beside its target: the PUT keeps the secret, the check-in and the
      // envelope as they were
      Files.writeString(file, export.out().replace("    seconds: 3600", "    seconds: 7200"));
      Ran applied = chime("apply", file.toString());
      assertThat(applied.exit()).as(applied.err()).isZero();
      assertThat(applied.out()).contains("created 0, updated 2");
      JsonNode secret = node.get("/api/v1/schedules?name=shape-secret").json().path("items").get(0);
      assertThat(secret.path("target").path("headers").path("Authorization").path("value").asText())
          .isEqualTo("****");
      assertThat(
              node.get("/api/v1/schedules?name=shape-envelope")
                  .json()
                  .at("/items/0/target/body_format")
                  .asText())
          .isEqualTo("envelope");
      assertThat(
              node.get("/api/v1/schedules?name=shape-checkin")
                  .json()
                  .at("/items/0/target")
                  .toString())
          .isEqualTo("{\"type\":\"checkin\",\"grace_s\":900}");
      assertThat(fired(target, secret.path("id").asText(), "/secret").header("Authorization"))
          .isEqualTo("Bearer s3cr3t");

      // a file names a new secret by an environment variable; the plan never prints it
      Files.writeString(
          file,
          "name: shape-secret\nlabels: {shapes: ''}\ntrigger: {type: interval, seconds: 7200}\n"
              + "target:\n  url: "
              + secretUrl
              + "\n  headers:\n    X-Team: ops\n"
              + "    Authorization: {value: '${SHAPES_TOKEN}', secret: true}\n");
      Map<String, String> env =
          Map.of(
              "CHIME_URL",
              node.url("").toString(),
              "CHIME_TOKEN",
              ChimeTestNode.ADMIN_TOKEN,
              "SHAPES_TOKEN",
              "Bearer fr0m-env");
      Ran fromEnv = chime(env, "apply", file.toString());
      assertThat(fromEnv.exit()).as(fromEnv.err()).isZero();
      assertThat(fromEnv.out())
          .contains("target.headers.Authorization.value: \"****\" -> \"(a new value)\"")
          .doesNotContain("fr0m-env");
      assertThat(fired(target, secret.path("id").asText(), "/secret").header("Authorization"))
          .isEqualTo("Bearer fr0m-env");
      Ran unset = chime("apply", file.toString());
      assertThat(unset.exit()).isEqualTo(3);
      assertThat(unset.err())
          .contains("names the environment variable SHAPES_TOKEN, which is not set");
    }
  }

  private static TargetServer.Received fired(TargetServer target, String id, String path) {
    int before = target.received(path).size();
    assertThat(node.post("/api/v1/schedules/" + id + "/run-now", "{}").status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> target.received(path).size() > before);
    return target.received(path).get(before);
  }
}
