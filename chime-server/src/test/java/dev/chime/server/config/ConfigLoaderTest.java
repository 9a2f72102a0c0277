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
    ChimeConfig config = ConfigLoader.load(Optional.empty(), Map.of());

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dbUrl())
        .startsWith("jdbc:h2:file:")
        .contains("/data/chime")
        .endsWith(";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    assertThat(config.dbUser()).isEqualTo("sa");
    assertThat(config.minInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxPayloadBytes()).isEqualTo(65536);
    assertThat(config.poll()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void theEnvironmentOverridesTheFileWhichOverridesDefaults() throws IOException {
    Path file = dir.resolve("chime.properties");
    Files.writeString(file, "port = 9000\nengine.poll.ms = 250\ndb.password = secret\n");

    ChimeConfig config =
        ConfigLoader.load(
            Optional.of(file),
            Map.of("CHIME_PORT", "9100", "CHIME_DB_URL", "jdbc:postgresql://db/chime"));

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
                        "1")))
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
  void anH2DatabaseWritesEachCommitToItsFileUnlessTheUrlSaysOtherwise() {
    assertThat(h2Url("jdbc:h2:file:/srv/chime/db"))
        .isEqualTo("jdbc:h2:file:/srv/chime/db;WRITE_DELAY=0");
    assertThat(h2Url("jdbc:h2:/srv/db;MODE=PostgreSQL;"))
        .isEqualTo("jdbc:h2:/srv/db;MODE=PostgreSQL;WRITE_DELAY=0");
    assertThat(h2Url("jdbc:h2:file:/srv/db;write_delay=500"))
        .isEqualTo("jdbc:h2:file:/srv/db;write_delay=500");
    assertThat(h2Url("jdbc:h2:mem:t;DB_CLOSE_DELAY=-1"))
        .isEqualTo("jdbc:h2:mem:t;DB_CLOSE_DELAY=-1");
    assertThat(
            ConfigLoader.load(Optional.empty(), Map.of("CHIME_DB_URL", "jdbc:postgresql://db/chime"))
                .dbUrl())
        .isEqualTo("jdbc:postgresql://db/chime");
  }

  private static String h2Url(String url) {
    return ConfigLoader.load(Optional.empty(), Map.of("CHIME_DB_URL", url)).dbUrl();
  }

  @Test
  void theConfigFileComesFromTheCommandLineOrChimeConfig() throws IOException {
    Path file = dir.resolve("c.properties");
    Files.writeString(file, "port = 9200\n");

    assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).port())
        .isEqualTo(9200);
    assertThat(ConfigLoader.load(new String[0], Map.of("CHIME_CONFIG", file.toString())).port())
        .isEqualTo(9200);
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--port", "1"}, Map.of()))
        .hasMessageContaining("unknown argument '--port'");
  }
}
