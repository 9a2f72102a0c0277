package dev.chime.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists every setting the loader knows, with its default. */
class ReadmeTest {
  @Test
  void theConfigurationTableListsEverySetting() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));

    for (ConfigLoader.Setting setting : ConfigLoader.SETTINGS) {
      assertThat(readme).contains("| `" + setting.envName() + "` |");
      if (!setting.defaultValue().isEmpty()) {
        assertThat(readme)
            .contains("| `" + setting.envName() + "` | `" + setting.defaultValue() + "` |");
      }
    }
  }
}
