package dev.chime.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The Debian packages' headless Chromium and its driver, for the web page's browser tests. Both are
 * named by path, so Selenium never looks for (or downloads) a browser or driver of its own.
 */
public final class Chromium {
  public static final Path BROWSER = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  /** Why the browser tests are skipped where the packages are missing. */
  public static final String MISSING =
      "browser tests skipped: no Chromium at "
          + BROWSER
          + " and "
          + DRIVER
          + " (apt-get install -y chromium chromium-driver; .ci/run does it)";

  private Chromium() {}

  public static boolean present() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }

  /** A headless browser at a desktop size, which keeps what the page logs to its console. */
  public static ChromeDriver start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--lang=en-US",
        "--window-size=1400,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return driver;
  }

  /** The page's viewport at exactly this size, as a phone's when {@code mobile}. */
  public static void viewport(ChromeDriver driver, int width, int height, boolean mobile) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
  }

  /**
   * What the page logged since the last call that breaks a promise of the page: a refusal by the
   * Content-Security-Policy, or an uncaught error.
   */
  public static List<String> problems(ChromeDriver driver) {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::getMessage)
        .filter(
            message ->
                message.contains("Content Security Policy")
                    || message.contains("Uncaught")
                    || message.contains("Refused to"))
        .toList();
  }
}
