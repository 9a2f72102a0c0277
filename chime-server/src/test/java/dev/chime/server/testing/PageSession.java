package dev.chime.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chime.testing.TargetServer;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a browser test class of the web page needs once: a node, a target for its schedules and a
 * headless Chromium. Skips the class, saying why, where Chromium is not installed.
 */
public record PageSession(
    ChimeTestNode node, TargetServer target, ChromeDriver browser, WebDriverWait waiting)
    implements AutoCloseable {

  public static PageSession start() {
    assumeTrue(Chromium.present(), Chromium.MISSING);
    ChimeTestNode node = ChimeTestNode.start();
    TargetServer target = new TargetServer();
    ChromeDriver browser = Chromium.start();
    return new PageSession(
        node, target, browser, new WebDriverWait(browser, Duration.ofSeconds(20)));
  }

  @Override
  public void close() {
    try {
      browser.quit();
    } finally {
      try {
        target.close();
      } finally {
        node.close();
      }
    }
  }
}
