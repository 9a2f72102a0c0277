package dev.chime.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.ChimeTestNode.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the page's routes answer without a browser: the shell, its files and their caching. */
class WebPageRoutesTest {
  private static ChimeTestNode node;
  private static ChimeTestNode anonymous;
  private static String root;

  @BeforeAll
  static void start() {
    node = ChimeTestNode.start();
    anonymous = node.as(null);
    Matcher main =
        Pattern.compile("src=\"(/ui/[0-9a-f]{12})/app/main.js\"")
            .matcher(anonymous.get("/").raw().body());
    assertThat(main.find()).isTrue();
    root = main.group(1);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyAddressOfThePageAnswersTheShellWithoutATokenAndIsAskedForAgainEachVisit() {
    for (String path :
        new String[] {
          "/", "/schedules/new?name=x&expr=0%209%20*%20*%20*", "/schedules/abc", "/audit"
        }) {
      Response page = anonymous.get(path);
      assertThat(page.status()).as(path).isEqualTo(200);
      assertThat(page.contentType()).as(path).startsWith("text/html");
      assertThat(page.header("Cache-Control")).as(path).isEqualTo("no-cache");
      assertThat(page.header("Content-Security-Policy")).as(path).startsWith("default-src 'self'");
      assertThat(page.raw().body()).as(path).doesNotContain("<script>").doesNotContain("style=");
    }
    assertThat(anonymous.send("HEAD", "/", null, null).status()).isEqualTo(200);
  }

  @Test
  void theFilesAreKeptForAYearUnderTheHashOfThisBuild() {
    Response main = anonymous.get(root + "/app/main.js");
    assertThat(main.status()).isEqualTo(200);
    assertThat(main.contentType()).startsWith("text/javascript");
    assertThat(main.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    Response css = anonymous.get(root + "/vendor/pico.min.css");
    assertThat(css.contentType()).startsWith("text/css");
    assertThat(anonymous.get(root + "/app/icons/check.svg").contentType())
        .startsWith("image/svg+xml");
    // Preact's hooks import Preact by a relative path, which a browser resolves without an import
    // map
    assertThat(anonymous.get(root + "/vendor/hooks.module.js").raw().body())
        .contains("from\"./preact.module.js\"")
        .doesNotContain("from\"preact\"");
  }

  @Test
  void aFileOfAnotherBuildIsServedButNotKeptAndAnUnknownOneIsNotFound() {
    Response other = anonymous.get("/ui/000000000000/app/main.js");
    assertThat(other.status()).isEqualTo(200);
    assertThat(other.header("Cache-Control")).isEqualTo("no-store");
    Response missing = anonymous.get(root + "/app/nothing-here.js");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
    assertThat(anonymous.get(root + "/../openapi.json").status()).isNotEqualTo(200);
  }
}
