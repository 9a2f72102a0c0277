package dev.chime.server;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import dev.chime.store.DatabaseSettings;
import dev.chime.testing.TargetServer;
import dev.chime.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secrets key as an operator meets it: made and kept once, shared by a cluster, or refused. */
class SecretsKeyTest {
  @TempDir Path dir;

  @Test
  void withoutAKeySetOneIsMadeOnceReadableByItsOwnerAloneAndOpensSecretsAfterARestart()
      throws Exception {
    Path data = dir.resolve("data");
    DatabaseSettings db = TestDatabases.h2();
    Map<String, String> settings =
        Map.of("CHIME_DATA_DIR", data.toString(), "CHIME_SECRETS_KEY", "");
    String path = "/kept-" + System.nanoTime();
    String id;
    try (TargetServer target = new TargetServer()) {
      try (ChimeTestNode first = ChimeTestNode.start(db, Clock.systemUTC(), settings)) {
        Response created =
            first.post(
                "/api/v1/schedules",
                schedule(
                    "kept",
                    interval(3600),
                    "{\"url\":\""
                        + target.url(path)
                        + "\",\"headers\":{\"Authorization\":{\"value\":\"Bearer kept\",\"secret\":true}}}"));
        assertThat(created.status()).isEqualTo(201);
        id = created.json().get("id").asText();
      }
      Path keyFile = data.resolve("secrets-key");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
          .isEqualTo("rw-------");
      String key = Files.readString(keyFile);

      try (ChimeTestNode again = ChimeTestNode.start(db, Clock.systemUTC(), settings)) {
        again.post("/api/v1/schedules/" + id + "/run-now", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> !target.received(path).isEmpty());
      }
      assertThat(Files.readString(keyFile)).isEqualTo(key);
      assertThat(target.received(path).get(0).header("Authorization")).isEqualTo("Bearer kept");
    }
  }

  @Test
  void aNodeWithAnotherKeyThanTheDatabasesRefusesToStartNamingBothKeyIds() {
    DatabaseSettings db = TestDatabases.h2();
    try (ChimeTestNode first = ChimeTestNode.start(db, Clock.systemUTC(), Map.of())) {
      assertThatThrownBy(
              () ->
                  ChimeTestNode.start(
                      db,
                      Clock.systemUTC(),
                      Map.of("CHIME_SECRETS_KEY", "b3RoZXItdGVzdC1rZXktb2YtdGhpcnR5LXR3by1ieXQ=")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is not the key the database's secrets are sealed with")
          .hasMessageContaining("every node of a cluster needs the same key")
          .hasMessageContaining("CHIME_SECRETS_KEY");
    }
  }

  @Test
  void aKeyFileOthersMayReadIsRefused() throws Exception {
    Path data = Files.createDirectories(dir.resolve("open"));
    Path keyFile = data.resolve("secrets-key");
    Files.writeString(keyFile, "dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE=\n");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(
            () ->
                ChimeTestNode.start(
                    TestDatabases.h2(),
                    Clock.systemUTC(),
                    Map.of("CHIME_DATA_DIR", data.toString(), "CHIME_SECRETS_KEY", "")))
        .hasMessageContaining("may be read by others (mode rw-r--r--)")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void aLockedDownNodeRefusesLoopbackTargetsAtCreate() {
    try (ChimeTestNode chime =
        ChimeTestNode.start(
            TestDatabases.h2(),
            Clock.systemUTC(),
            Map.of("CHIME_TARGET_LOOPBACK", "refuse", "CHIME_TARGET_PRIVATE", "refuse"))) {
      Response response =
          chime.post(
              "/api/v1/schedules",
              schedule("local", interval(60), target("http://127.0.0.1:9/hook")));

      assertThat(response.status()).isEqualTo(422);
      assertThat(response.json().get("errors").get(0).get("reason").asText())
          .isEqualTo(
              "the address 127.0.0.1 is a loopback address (this machine), and target.loopback is"
                  + " refuse");
      assertThat(chime.get("/api/v1/target-policy").json().get("global").get("loopback").asText())
          .isEqualTo("refuse");
    }
  }
}
