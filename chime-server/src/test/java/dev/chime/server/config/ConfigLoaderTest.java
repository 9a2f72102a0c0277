package dev.chime.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsRunOnAnEmbeddedDatabaseUnderData() {
    // a node id given, so that the test leaves no node-id file in the module's ./data
    ChimeConfig config = ConfigLoader.load(Optional.empty(), Map.of("CHIME_NODE_ID", "n1"));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.dbUrl()).startsWith("jdbc:h2:file:").contains("/data/chime");
    assertThat(config.dbUser()).isEqualTo("sa");
    assertThat(config.minInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxPayloadBytes()).isEqualTo(65536);
    assertThat(config.poll()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void corsIsOffAndTheDatabaseWaitIsShortByDefault() {
    ChimeConfig config = ConfigLoader.load(Optional.empty(), Map.of("CHIME_NODE_ID", "n1"));

    assertThat(config.corsOrigins()).isEmpty();
    assertThat(config.dbPoolTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.describe()).containsEntry("http.cors.origins", "(none)");
  }

  @Test
  void corsOriginsAreReadAsBrowsersSendThem() {
    ChimeConfig config =
        withCorsOrigins("https://App.Example.com, http://localhost:3000,https://a.example:443");

    assertThat(config.corsOrigins())
        .containsExactly("https://app.example.com", "http://localhost:3000", "https://a.example");
  }

  @Test
  void aCorsEntryThatIsNotAnOriginIsAProblem() {
    assertThatThrownBy(() -> withCorsOrigins("*, https://app.example.com/path"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("2 problem(s)")
        .hasMessageContaining("http.cors.origins (from CHIME_HTTP_CORS_ORIGINS) lists '*'")
        .hasMessageContaining("lists 'https://app.example.com/path', which is not an origin");
  }

  private static ChimeConfig withCorsOrigins(String origins) {
    return ConfigLoader.load(
        Optional.empty(), Map.of("CHIME_NODE_ID", "n1", "CHIME_HTTP_CORS_ORIGINS", origins));
  }

  @Test
  void aNodeHeartbeatsEveryFiveSecondsUnlessToldOtherwise() {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of("CHIME_NODE_ID", "n1")).heartbeat())
        .isEqualTo(Duration.ofSeconds(5));
    ChimeConfig config =
        ConfigLoader.load(
            Optional.empty(), Map.of("CHIME_NODE_ID", "n1", "CHIME_NODE_HEARTBEAT_MS", "250"));
    assertThat(config.heartbeat()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.describe()).containsEntry("node.heartbeat.ms", "250");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of("CHIME_NODE_ID", "n1", "CHIME_NODE_HEARTBEAT_MS", "10")))
        .hasMessageContaining("node.heartbeat.ms (from CHIME_NODE_HEARTBEAT_MS)");
  }

  @Test
  void theEngineStallTimeOfReadinessIsTenPollsAtLeastTenSecondsUnlessSet() {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of("CHIME_NODE_ID", "n1")).engineStall())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(
            ConfigLoader.load(
                    Optional.empty(), Map.of("CHIME_NODE_ID", "n1", "CHIME_ENGINE_POLL_MS", "3000"))
                .engineStall())
        .isEqualTo(Duration.ofSeconds(30));
    ChimeConfig set =
        ConfigLoader.load(
            Optional.empty(), Map.of("CHIME_NODE_ID", "n1", "CHIME_HEALTH_ENGINE_STALL_S", "3"));
    assertThat(set.engineStall()).isEqualTo(Duration.ofSeconds(3));
    assertThat(set.describe()).containsEntry("health.engine.stall.s", "3");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of(
                        "CHIME_NODE_ID",
                        "n1",
                        "CHIME_ENGINE_POLL_MS",
                        "1000",
                        "CHIME_HEALTH_ENGINE_STALL_S",
                        "2")))
        .hasMessageContaining(
            "health.engine.stall.s (2) must be more than two engine polls (engine.poll.ms 1000)");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of("CHIME_NODE_ID", "n1", "CHIME_HEALTH_ENGINE_STALL_S", "0")))
        .hasMessageContaining(
            "health.engine.stall.s (from CHIME_HEALTH_ENGINE_STALL_S) must be between 1 and 86400");
  }

  @Test
  void theEnvironmentOverridesTheFileWhichOverridesDefaults() throws IOException {
    Path file = dir.resolve("chime.properties");
    Files.writeString(file, "port = 9000\nengine.poll.ms = 250\ndb.password = secret\n");

    ChimeConfig config =
        ConfigLoader.load(
            Optional.of(file),
            Map.of(
                "CHIME_PORT",
                "9100",
                "CHIME_DB_URL",
                "jdbc:postgresql://db/chime",
                "CHIME_NODE_ID",
                "n1"));

    assertThat(config.port()).isEqualTo(9100);
    assertThat(config.poll()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.dbUrl()).isEqualTo("jdbc:postgresql://db/chime");
    assertThat(config.dbUser()).isEmpty();
    assertThat(config.describe()).containsEntry("db.password", "****");
  }

  @Test
  void everyProblemIsReportedAtOnceNamingTheSettingAndItsSource() throws IOException {
    Path file = dir.resolve("chime.properties");
    Files.writeString(file, "engine.poll.ms = fast\ncolour = blue\n");

    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.of(file),
                    Map.of(
                        "CHIME_PORT",
                        "70000",
                        "CHIME_DB_URL",
                        "jdbc:oracle:thin:@x",
                        "CHIME_PROT",
                        "1",
                        "CHIME_NODE_ID",
                        "n1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("5 problem(s)")
        .hasMessageContaining("port (from CHIME_PORT) must be between 0 and 65535, got 70000")
        .hasMessageContaining(
            "engine.poll.ms (from " + file + ") must be a whole number, got 'fast'")
        .hasMessageContaining("colour in " + file + " is not a Chime setting")
        .hasMessageContaining("CHIME_PROT is not a Chime setting")
        .hasMessageContaining("db.url (from CHIME_DB_URL) must start with jdbc:h2:");
  }

  @Test
  void withoutANodeIdOneIsMadeOnceAndKeptInTheDataFolder() throws IOException {
    Map<String, String> env = Map.of("CHIME_DATA_DIR", dir.resolve("data").toString());

    ChimeConfig first = ConfigLoader.load(Optional.empty(), env);
    ChimeConfig second = ConfigLoader.load(Optional.empty(), env);

    assertThat(first.nodeId()).matches(".+-[0-9a-f]{8}");
    assertThat(first.nodeIdKept()).isTrue();
    assertThat(second.nodeId()).isEqualTo(first.nodeId());
    assertThat(first.nodeIdFile()).isEqualTo(dir.resolve("data").resolve("node-id"));
    assertThat(Files.readString(first.nodeIdFile())).isEqualTo(first.nodeId() + "\n");
    assertThat(first.describe().get("node.id"))
        .isEqualTo(first.nodeId() + " (kept in " + first.nodeIdFile() + ")");
    try (var files = Files.list(dir.resolve("data"))) {
      assertThat(files).containsExactly(first.nodeIdFile());
    }
  }

  @Test
  void chimeNodeIdWinsOverTheKeptIdAndNothingIsWritten() throws IOException {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("node-id"), "edge-7\n");

    assertThat(
            ConfigLoader.load(Optional.empty(), Map.of("CHIME_DATA_DIR", data.toString())).nodeId())
        .isEqualTo("edge-7");
    ChimeConfig given =
        ConfigLoader.load(
            Optional.empty(), Map.of("CHIME_DATA_DIR", data.toString(), "CHIME_NODE_ID", "eu-1"));
    assertThat(given.nodeId()).isEqualTo("eu-1");
    assertThat(given.nodeIdKept()).isFalse();
    assertThat(given.describe()).containsEntry("node.id", "eu-1");
    assertThat(Files.readString(data.resolve("node-id"))).isEqualTo("edge-7\n");

    Path elsewhere = dir.resolve("other");
    ConfigLoader.load(
        Optional.empty(), Map.of("CHIME_DATA_DIR", elsewhere.toString(), "CHIME_NODE_ID", "eu-1"));
    assertThat(elsewhere).doesNotExist();
  }

  @Test
  void aNodeIdThatCannotBeKeptOrReadIsAProblemNamingTheFile() throws IOException {
    Path blocked = dir.resolve("a-file");
    Files.writeString(blocked, "not a folder");
    Path empty = dir.resolve("empty");
    Files.createDirectories(empty);
    Files.writeString(empty.resolve("node-id"), " \n");

    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(), Map.of("CHIME_DATA_DIR", blocked.resolve("data").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "node.id is not set and cannot be kept in "
                + blocked.resolve("data").resolve("node-id"))
        .hasMessageContaining("set CHIME_NODE_ID or CHIME_DATA_DIR");
    assertThatThrownBy(
            () -> ConfigLoader.load(Optional.empty(), Map.of("CHIME_DATA_DIR", empty.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("the node id file " + empty.resolve("node-id") + " is empty");
    assertThatThrownBy(
            () -> ConfigLoader.load(Optional.empty(), Map.of("CHIME_NODE_ID", "x".repeat(101))))
        .hasMessageContaining("node.id (from CHIME_NODE_ID) must be at most 100 characters");
  }

  @Test
  void aKeptNodeIdIsLockedWhileANodeRunsUnderIt() throws IOException {
    Path file = dir.resolve("node-id");
    String id = NodeIdFile.readOrCreate(file, () -> NodeIdFile.generate("h".repeat(200)));
    assertThat(id).hasSize(100);

    try (NodeIdFile.Lock held = NodeIdFile.lock(file, id)) {
      assertThatThrownBy(() -> NodeIdFile.lock(file, id))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another Chime node is running as " + id)
          .hasMessageContaining("give each node its own CHIME_DATA_DIR or its own CHIME_NODE_ID");
    }
    NodeIdFile.lock(file, id).close();
  }

  @Test
  void theLaunchersAndTheChimeCommandsVariablesAreNoSettingsButNoMistakeEither() {
    // a shell that has CHIME_URL and CHIME_TOKEN for the chime command can start a node too
    assertThat(
            ConfigLoader.load(
                    new String[0],
                    Map.of(
                        "CHIME_URL", "http://localhost:8080",
                        "CHIME_TOKEN", "chime_x",
                        "CHIME_JAVA_OPTS", "-Xmx256m",
                        "CHIME_CLASS_ARCHIVE", "off",
                        "CHIME_CLI_JAVA_OPTS", "-Xmx64m",
                        "CHIME_NODE_ID", "n1"))
                .nodeId())
        .isEqualTo("n1");
  }

  @Test
  void runsAreLoggedUnlessTurnedOffAndABadValueIsAProblemNamingTheSetting() {
    assertThat(ConfigLoader.load(Optional.empty(), Map.of("CHIME_NODE_ID", "n1")).logRuns())
        .isTrue();
    ChimeConfig off =
        ConfigLoader.load(Optional.empty(), Map.of("CHIME_NODE_ID", "n1", "CHIME_LOG_RUNS", "off"));
    assertThat(off.logRuns()).isFalse();
    assertThat(off.describe()).containsEntry("log.runs", "off");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(), Map.of("CHIME_NODE_ID", "n1", "CHIME_LOG_RUNS", "quiet")))
        .hasMessageContaining("log.runs")
        .hasMessageContaining("CHIME_LOG_RUNS");
  }

  @Test
  void theConfigFileComesFromTheCommandLineOrChimeConfig() throws IOException {
    Path file = dir.resolve("c.properties");
    Files.writeString(file, "port = 9200\nnode.id = n1\n");

    assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).port())
        .isEqualTo(9200);
    assertThat(ConfigLoader.load(new String[0], Map.of("CHIME_CONFIG", file.toString())).port())
        .isEqualTo(9200);
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--port", "1"}, Map.of()))
        .hasMessageContaining("unknown argument '--port'");
  }

  @Test
  void outgoingCallsAreSignedAndGuardedByDefaultsThatSuitAScheduleBesideItsServices() {
    ChimeConfig config = ConfigLoader.load(Optional.empty(), Map.of("CHIME_NODE_ID", "n1"));

    assertThat(config.secretsKey()).isEmpty();
    assertThat(config.signingGrace()).isEqualTo(Duration.ofHours(24));
    assertThat(config.targetPolicy().allowLoopback()).isTrue();
    assertThat(config.targetPolicy().allowPrivate()).isTrue();
    assertThat(config.targetPolicy().allowedNetworks()).isEmpty();
    assertThat(config.describe())
        .containsEntry("target.loopback", "allow")
        .containsEntry("target.allowed.networks", "(none)");
    assertThat(config.describe().get("secrets.key"))
        .startsWith("(kept in ")
        .endsWith("secrets-key)");
  }

  @Test
  void theAddressPolicyCanBeLockedDownWithNetworksLeftOpen() {
    ChimeConfig config =
        ConfigLoader.load(
            Optional.empty(),
            Map.of(
                "CHIME_NODE_ID", "n1",
                "CHIME_TARGET_LOOPBACK", "refuse",
                "CHIME_TARGET_PRIVATE", "REFUSE",
                "CHIME_TARGET_ALLOWED_NETWORKS", "10.20.0.0/16, fd12::/48",
                "CHIME_SIGNING_ROTATION_GRACE_S", "3600"));

    assertThat(config.targetPolicy().allowLoopback()).isFalse();
    assertThat(config.targetPolicy().allowPrivate()).isFalse();
    assertThat(config.targetPolicy().allowedNetworks())
        .extracting(Object::toString)
        .containsExactly("10.20.0.0/16", "fd12:0:0:0:0:0:0:0/48");
    assertThat(config.signingGrace()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void badOutgoingSettingsAreProblemsNamingTheSettingAndNeverTheSecret() {
    String secret = "bm90LXRoaXJ0eS10d28tYnl0ZXM=";
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of(
                        "CHIME_NODE_ID", "n1",
                        "CHIME_SECRETS_KEY", secret,
                        "CHIME_TARGET_PRIVATE", "deny",
                        "CHIME_TARGET_ALLOWED_NETWORKS", "10.0.0.0/8,2130706433",
                        "CHIME_SIGNING_ROTATION_GRACE_S", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("4 problem(s)")
        .hasMessageContaining(
            "secrets.key (from CHIME_SECRETS_KEY) holds 20 bytes; a secrets key is 32 bytes;"
                + " make one with: openssl rand -base64 32")
        .hasMessageContaining("target.private (from CHIME_TARGET_PRIVATE) must be allow or refuse")
        .hasMessageContaining("lists '2130706433', which is not an address block")
        .hasMessageContaining("signing.rotation.grace.s (from CHIME_SIGNING_ROTATION_GRACE_S)")
        .message()
        .doesNotContain(secret);
  }

  @Test
  void aSecretsKeyIsReadFromBase64AndLoggedMasked() {
    ChimeConfig config =
        ConfigLoader.load(
            Optional.empty(),
            Map.of(
                "CHIME_NODE_ID",
                "n1",
                "CHIME_SECRETS_KEY",
                "dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE="));

    assertThat(config.secretsKey()).isPresent();
    assertThat(config.describe().get("secrets.key")).isEqualTo("**** (set)");
    assertThat(config.toString()).doesNotContain("dGVzdC1vbmx5");
  }
}
