package dev.chime.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as an operator uses it: unpacked, settings in {@code conf/chime.env}, the
 * node started with {@code bin/chime-server}, driven with {@code bin/chime}, stopped with SIGTERM.
 */
class ReleaseArchiveIT {
  private static final Path ARCHIVE = Path.of(System.getProperty("chime.archive"));
  private static final String VERSION =
      ARCHIVE.getFileName().toString().replaceFirst("^chime-", "").replaceFirst("\\.tar\\.gz$", "");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  record Ran(int exit, String out, String err) {}

  @Test
  void theUnpackedArchiveRunsANodeAndTheCommandTalksToIt() throws Exception {
    Path home = unpack();
    for (String file :
        List.of("bin/chime-server", "bin/chime", "bin/java-env.sh", "conf/chime.env")) {
      assertThat(home.resolve(file)).as(file).isRegularFile();
    }
    assertThat(home.resolve("bin/chime-server")).isExecutable();
    assertThat(home.resolve("bin/chime")).isExecutable();
    assertThat(home.resolve("lib/chime-server.jar")).isRegularFile();
    assertThat(home.resolve("lib/chime-cli.jar")).isRegularFile();
    assertThat(Files.readString(home.resolve("systemd/chime.service")))
        .contains("Restart=on-failure", "User=chime", "EnvironmentFile=", "StateDirectory=chime");

    // the file as an operator edits it: quotes, export, comments; the environment wins over it
    int port = freePort();
    Files.writeString(
        home.resolve("conf/chime.env"),
        "\nCHIME_PORT="
            + port
            + "\n  export CHIME_HOST=\"127.0.0.1\"\n; a comment\n"
            + "CHIME_NODE_ID=named-in-the-file\n",
        StandardOpenOption.APPEND);
    Path log = dir.resolve("chime-server.log");
    ProcessBuilder builder =
        new ProcessBuilder(home.resolve("bin/chime-server").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    clean(builder.environment()).put("CHIME_NODE_ID", "named-in-the-environment");
    Process server = builder.start();
    try {
      String base = "http://127.0.0.1:" + port;
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> get(base + "/health/ready", null).statusCode() == 200);

      // CHIME_DATA_DIR defaults to the archive's data/ folder
      Path token = home.resolve("data/admin-token");
      assertThat(token).isRegularFile();
      HttpResponse<String> nodes = get(base + "/api/v1/nodes", Files.readString(token).strip());
      assertThat(nodes.body()).contains("named-in-the-environment");

      Ran made =
          chime(
              home,
              "--server",
              base,
              "--token-file",
              token.toString(),
              "schedules",
              "create",
              "--name",
              "from-the-archive",
              "--every",
              "1h",
              "--url",
              "http://127.0.0.1:9/hook");
      assertThat(made.exit()).as(made.err()).isZero();
      Ran list =
          chime(home, "--server", base, "--token-file", token.toString(), "schedules", "list");
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.out()).contains("from-the-archive", "every 3600s");
    } finally {
      server.destroy(); // SIGTERM, as systemctl stop sends
    }
    assertThat(server.waitFor(40, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
    // the unit's SuccessExitStatus=143 is this exit: the JVM's on SIGTERM
    assertThat(server.exitValue()).as(Files.readString(log)).isEqualTo(143);
    assertThat(Files.readString(log)).contains("Chime node named-in-the-environment stopped");
  }

  @Test
  void aLineThatIsNotASettingStopsTheStartNamingIt() throws Exception {
    Path home = unpack();
    Files.writeString(
        home.resolve("conf/chime.env"), "\nCHIME PORT 8080\n", StandardOpenOption.APPEND);
    ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/chime-server").toString());
    clean(builder.environment());
    Ran ran = run(builder);
    assertThat(ran.exit()).isEqualTo(1);
    assertThat(ran.err()).contains("conf/chime.env line", "is not KEY=value: CHIME PORT 8080");
  }

  private Path unpack() throws Exception {
    Path target = Files.createTempDirectory(dir, "unpacked");
    Ran tar = run(new ProcessBuilder("tar", "-xzf", ARCHIVE.toString(), "-C", target.toString()));
    assertThat(tar.exit()).as(tar.err()).isZero();
    Path home = target.resolve("chime-" + VERSION);
    assertThat(home).isDirectory();
    return home;
  }

  /** The launchers find Java through JAVA_HOME: this test's own; no CHIME_* from outside. */
  private static Map<String, String> clean(Map<String, String> env) {
    env.keySet().removeIf(name -> name.startsWith("CHIME_"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    return env;
  }

  private Ran chime(Path home, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/chime").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    clean(builder.environment()).put("HOME", dir.toString());
    return run(builder);
  }

  private Ran run(ProcessBuilder builder) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(builder.command().toString()).isTrue();
    return new Ran(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
