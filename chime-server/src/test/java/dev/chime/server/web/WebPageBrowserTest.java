package dev.chime.server.web;

import static dev.chime.server.testing.Json.interval;
import static dev.chime.server.testing.Json.schedule;
import static dev.chime.server.testing.Json.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chime.server.testing.ChimeTestNode;
import dev.chime.server.testing.Chromium;
import dev.chime.server.testing.PageSession;
import dev.chime.testing.TargetServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real headless Chromium against a real node and a real target: what a person
 * signs in with, types, clicks and sees. One browser for the class; each test starts signed out.
 */
class WebPageBrowserTest {
  private static PageSession session;
  private static ChimeTestNode node;
  private static TargetServer target;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() {
    session = PageSession.start();
    node = session.node();
    target = session.target();
    browser = session.browser();
    wait = session.waiting();
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      session.close();
    }
  }

  @BeforeEach
  void signedOutAtDesktopWidth() {
    Chromium.viewport(browser, 1400, 900, false);
    // a page of the same origin that is not the web page, so that nothing of it runs on
    browser.get(node.url("/health/live").toString());
    browser.executeScript("sessionStorage.clear()");
  }

  @AfterEach
  void thePageBrokeNoPromise() {
    assertThat(Chromium.problems(browser)).as("CSP refusals and uncaught errors").isEmpty();
  }

  @Test
  void aTokenInTheFragmentSignsInAndLeavesTheAddressBarAtOnce() {
    signIn("/");
    assertThat(browser.getCurrentUrl()).doesNotContain("#").doesNotContain("token");
    assertThat(browser.findElement(By.cssSelector("header .who")).getText()).contains("default");
    assertThat(browser.executeScript("return sessionStorage.getItem('chime.token')"))
        .isEqualTo(ChimeTestNode.ADMIN_TOKEN);
    assertThat(browser.executeScript("return localStorage.length")).isEqualTo(0L);
  }

  @Test
  void withoutATokenThePageAsksForOneAndRefusesAWrongOne() {
    browser.get(node.url("/").toString());
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    field.sendKeys("chime_not-a-token-of-this-node-at-all-000000", Keys.ENTER);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector(".signin .notice"), "did not accept"));
    clear(By.id("token"));
    browser.findElement(By.id("token")).sendKeys(ChimeTestNode.ADMIN_TOKEN, Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("header .who")));
    Chromium.problems(browser); // the refused token's 401 is logged by the browser, as it should be
  }

  @Test
  void aCronScheduleMadeInTheEditorShowsItsPreviewFiresAndItsRunAppearsInThePanel() {
    signIn("/");
    click(By.cssSelector("a.new"));
    type(By.id("name"), "every-two-seconds");
    type(By.id("trigger-expr"), "*/2 * * * * *");
    clear(By.id("trigger-timezone"));
    type(By.id("trigger-timezone"), "Europe/Berlin");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector(".preview-words"), "Europe/Berlin"));
    assertThat(browser.findElements(By.cssSelector(".preview ol.fires li"))).hasSize(5);
    type(By.id("target-url"), target.url("/hooks/browser").toString());
    type(By.id("payload"), "{\"from\": \"the editor\"}");
    click(By.cssSelector(".editor button[type=submit]"));

    // the runs panel of the new schedule opens, and its runs arrive without a reload
    wait.until(ExpectedConditions.urlMatches("/schedules/[0-9a-f-]{36}$"));
    // a run every two seconds and a look every two: the newest may be running at each look, so
    // wait for any run of the list to have succeeded
    WebElement succeeded =
        wait.withTimeout(Duration.ofSeconds(20))
            .until(
                page ->
                    page.findElements(By.cssSelector("ol.runs li.run")).stream()
                        .filter(run -> run.getText().contains("Succeeded"))
                        .findFirst()
                        .orElse(null));
    assertThat(target.received("/hooks/browser")).isNotEmpty();
    assertThat(target.received("/hooks/browser").get(0).body()).contains("the editor");
    assertThat(succeeded.getText()).contains("HTTP 200").contains("attempt 1");
    succeeded.findElement(By.cssSelector(".run-toggle")).click();
    wait.until(d -> succeeded.findElement(By.cssSelector(".run-details")).isDisplayed());
    assertThat(succeeded.findElement(By.cssSelector(".run-details")).getText())
        .contains("Trace id")
        .contains("POST " + target.url("/hooks/browser"))
        .contains("Idempotency-Key")
        .doesNotContain("undefined");
  }

  @Test
  void twoSelectedSchedulesAreDisabledAtOnceAfterAConfirmationThatSaysHowMany() {
    String[] ids = new String[3];
    for (int i = 0; i < 3; i++) {
      ids[i] = create("bulk-" + i, "{\"batch\":\"b1\"}");
    }
    signIn("/?label=batch%3Db1");
    wait.until(d -> d.findElements(By.cssSelector("table.schedules tbody tr")).size() == 3);
    click(By.cssSelector("tr[data-id='" + ids[0] + "'] td.pick input"));
    click(By.cssSelector("tr[data-id='" + ids[1] + "'] td.pick input"));
    assertThat(browser.findElement(By.cssSelector(".bulk strong")).getText())
        .isEqualTo("2 selected");
    click(By.cssSelector(".bulk button[data-action=disable]"));
    WebElement dialog =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
    assertThat(dialog.getText()).contains("Disable 2 schedules?");
    dialog.findElement(By.xpath(".//button[text()='Disable 2']")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector(".outcome"), "2 schedules disabled"));
    assertThat(enabled(ids[0])).isFalse();
    assertThat(enabled(ids[1])).isFalse();
    assertThat(enabled(ids[2])).isTrue();
    wait.until(
        d ->
            !d.findElement(By.cssSelector("tr[data-id='" + ids[0] + "'] input[role=switch]"))
                .isSelected());
  }

  @Test
  void aRunLinkFromAnAlertOpensThatRunEvenWhenItIsOlderThanTheFirstPage() {
    String id = create("linked-runs", "{}");
    for (int i = 0; i < 27; i++) {
      assertThat(node.post("/api/v1/schedules/" + id + "/run-now", "{}").status()).isEqualTo(202);
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonNode items = node.get("/api/v1/schedules/" + id + "/runs?limit=100").json();
              return items.path("items").size() == 27
                  && java.util.stream.StreamSupport.stream(items.path("items").spliterator(), false)
                      .allMatch(run -> run.path("status").asText().equals("success"));
            });
    JsonNode items = node.get("/api/v1/schedules/" + id + "/runs?limit=100").json().path("items");
    String oldest = items.get(items.size() - 1).path("id").asText();

    signIn("/schedules/" + id + "/runs/" + oldest);
    By linked = By.cssSelector("li.run[data-run='" + oldest + "']");
    wait.until(ExpectedConditions.visibilityOfElementLocated(linked));
    WebElement run = browser.findElement(linked);
    assertThat(run.findElement(By.cssSelector(".run-toggle")).getDomAttribute("aria-expanded"))
        .isEqualTo("true");
    assertThat(run.findElement(By.cssSelector(".run-details")).getText()).contains(oldest);
    // the first page of 25 is there too, once each
    assertThat(browser.findElements(By.cssSelector("ol.runs li.run"))).hasSize(26);
  }

  @Test
  void aPrefilledLinkOpensTheEditorFilledIn() {
    String payload = "{\"report\":\"weekly\"}";
    signIn(
        "/schedules/new?name=from-a-link&expr="
            + encode("0 9 * * 1-5")
            + "&timezone=Asia/Shanghai&url="
            + encode("https://example.com/hooks/report")
            + "&payload="
            + encode(payload));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("name")));
    assertThat(value(By.id("name"))).isEqualTo("from-a-link");
    assertThat(value(By.id("trigger-expr"))).isEqualTo("0 9 * * 1-5");
    assertThat(value(By.id("trigger-timezone"))).isEqualTo("Asia/Shanghai");
    assertThat(value(By.id("target-url"))).isEqualTo("https://example.com/hooks/report");
    assertThat(value(By.id("payload"))).contains("\"report\": \"weekly\"");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector(".preview-words"), "At 09:00, Monday through Friday, Asia/Shanghai"));
  }

  @Test
  void mistakesAreShownBesideTheirFields() {
    signIn("/schedules/new");
    type(By.id("name"), "bad-one");
    // the preview's verdict on the expression, before saving
    type(By.id("trigger-expr"), "0 25 * * *");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("trigger-expr-error"), "out of range 0-23"));
    assertThat(browser.findElement(By.id("trigger-expr")).getAttribute("aria-invalid"))
        .isEqualTo("true");
    // the payload editor refuses what is not JSON
    type(By.id("payload"), "{not json");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("payload-error"), "Not valid JSON"));
    clear(By.id("payload"));
    // the server's problem+json, field by field
    clear(By.id("trigger-expr"));
    type(By.id("trigger-expr"), "0 9 * * *");
    type(By.id("target-url"), "ftp://example.com/file");
    click(By.cssSelector(".editor button[type=submit]"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("target-url-error"), "an http or https URL"));
    assertThat(browser.getCurrentUrl()).endsWith("/schedules/new");
  }

  @Test
  void atPhoneWidthTheListIsCardsAndTheEditorFillsTheScreen() {
    create("phone-sized", "{\"size\":\"phone\"}");
    Chromium.viewport(browser, 390, 844, true);
    signIn("/?q=phone-sized");
    wait.until(d -> d.findElements(By.cssSelector("table.schedules tbody tr")).size() == 1);
    assertThat(browser.findElement(By.cssSelector("table.schedules thead")).isDisplayed())
        .isFalse();
    assertThat(
            (Long)
                browser.executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth"))
        .as("nothing wider than the phone")
        .isLessThanOrEqualTo(0L);
    click(By.cssSelector("a.new"));
    WebElement panel =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("aside.panel")));
    assertThat(panel.getSize().getWidth()).isGreaterThanOrEqualTo(370);
    // Escape closes the panel and the list is there again
    browser.findElement(By.id("name")).sendKeys(Keys.ESCAPE);
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("aside.panel")));
  }

  @Test
  void savingASecretHeaderAnEnvelopeOrACheckinAsLoadedKeepsThem() {
    String trigger = "\"trigger\":{\"type\":\"interval\",\"seconds\":3600}";
    String secret =
        made(
            "{\"name\":\"edit-secret\","
                + trigger
                + ",\"target\":{\"url\":\""
                + target.url("/hooks/edit-secret")
                + "\",\"body_format\":\"envelope\",\"headers\":{\"X-Team\":\"ops\","
                + "\"X-Signed\":{\"value\":\"s3cr3t-value\",\"secret\":true}}}}");
    String checkin =
        made(
            "{\"name\":\"edit-checkin\","
                + trigger
                + ",\"target\":{\"type\":\"checkin\",\"grace_s\":900}}");

    signIn("/schedules/" + secret + "/edit");
    wait.until(ExpectedConditions.attributeToBe(By.id("name"), "value", "edit-secret"));
    assertThat(value(By.id("target-body_format"))).isEqualTo("envelope");
    List<WebElement> values =
        browser.findElements(By.cssSelector(".header-row input[aria-label='Header value']"));
    // Chime answers the headers in name order: the secret first, shown empty, kept unless typed
    assertThat(values).extracting(v -> v.getDomProperty("value")).containsExactly("", "ops");
    assertThat(values.get(0).getDomAttribute("type")).isEqualTo("password");
    assertThat(browser.getPageSource()).doesNotContain("[object Object]").doesNotContain("****");
    type(By.id("description"), "saved by the page");
    JsonNode saved = savedInTheEditor(secret);
    assertThat(saved.path("description").asText()).isEqualTo("saved by the page");
    assertThat(saved.path("target").path("body_format").asText()).isEqualTo("envelope");
    assertThat(saved.path("target").path("headers").toString())
        .isEqualTo("{\"X-Signed\":{\"value\":\"****\",\"secret\":true},\"X-Team\":\"ops\"}");
    node.post("/api/v1/schedules/" + secret + "/run-now", "{}");
    wait.until(driver -> !target.received("/hooks/edit-secret").isEmpty());
    assertThat(target.received("/hooks/edit-secret").get(0).header("X-Signed"))
        .isEqualTo("s3cr3t-value");

    browser.get(node.url("/schedules/" + checkin + "/edit").toString());
    wait.until(ExpectedConditions.attributeToBe(By.id("name"), "value", "edit-checkin"));
    assertThat(value(By.id("target-grace_s"))).isEqualTo("900");
    assertThat(browser.findElements(By.id("target-url"))).isEmpty();
    type(By.id("description"), "still a check-in");
    JsonNode savedCheckin = savedInTheEditor(checkin);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector(".schedule-summary"), "Check-in"));
    assertThat(savedCheckin.path("description").asText()).isEqualTo("still a check-in");
    assertThat(savedCheckin.path("target").toString())
        .isEqualTo("{\"type\":\"checkin\",\"grace_s\":900}");
  }

  /** Saves the editor's schedule {@code id}, waits for its runs panel and reads it back. */
  private static JsonNode savedInTheEditor(String id) {
    click(By.cssSelector(".editor button[type=submit]"));
    wait.until(ExpectedConditions.urlMatches("/schedules/" + id + "$"));
    return node.get("/api/v1/schedules/" + id).json();
  }

  private static String made(String body) {
    ChimeTestNode.Response created = node.post("/api/v1/schedules", body);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  @Test
  void editingAScheduleKeepsWhatTheFormDoesNotShowAndMasksSecretHeaders() {
    String body =
        "{\"name\":\"to-edit\",\"labels\":{\"team\":\"edit\"},\"trigger\":{\"type\":\"interval\",\"seconds\":3600},"
            + "\"target\":{\"url\":\""
            + target.url("/hooks/edit")
            + "\",\"headers\":{\"Authorization\":\"Bearer s3cret\",\"X-Team\":\"ops\"},\"async_timeout_s\":120},"
            + "\"retry_policy\":{\"max_attempts\":5,\"initial_s\":10,\"multiplier\":3,\"max_s\":900,\"jitter\":0.2},"
            + "\"payload\":{\"keep\":[1,2,3]}}";
    ChimeTestNode.Response created = node.post("/api/v1/schedules", body);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    String id = created.json().path("id").asText();
    signIn("/schedules/" + id + "/edit");
    wait.until(ExpectedConditions.attributeToBe(By.id("name"), "value", "to-edit"));
    List<WebElement> values =
        browser.findElements(By.cssSelector(".header-row input[aria-label='Header value']"));
    assertThat(values)
        .extracting(v -> v.getDomAttribute("type"))
        .containsExactly("password", "text");
    clear(By.id("name"));
    type(By.id("name"), "edited");
    JsonNode saved = savedInTheEditor(id);
    assertThat(saved.path("name").asText()).isEqualTo("edited");
    assertThat(saved.path("labels").path("team").asText()).isEqualTo("edit");
    assertThat(saved.path("target").path("headers").path("Authorization").asText())
        .isEqualTo("Bearer s3cret");
    assertThat(saved.path("target").path("async_timeout_s").asInt()).isEqualTo(120);
    assertThat(saved.path("retry_policy").path("multiplier").asDouble()).isEqualTo(3.0);
    assertThat(saved.path("retry_policy").path("max_attempts").asInt()).isEqualTo(5);
    assertThat(saved.path("payload").toString()).isEqualTo("{\"keep\":[1,2,3]}");
  }

  @Test
  void theKeyboardReachesTheNewScheduleButtonWithAVisibleFocusAndOpensTheEditor() {
    signIn("/");
    boolean reached = false;
    for (int i = 0; i < 15 && !reached; i++) {
      browser.switchTo().activeElement().sendKeys(Keys.TAB);
      reached =
          (Boolean)
              browser.executeScript("return document.activeElement.classList.contains('new')");
    }
    assertThat(reached).as("Tab reaches New schedule").isTrue();
    assertThat(
            browser.executeScript("return getComputedStyle(document.activeElement).outlineStyle"))
        .isNotEqualTo("none");
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("aside.panel")));
    // the panel moves the focus to its heading once it has rendered, a moment after it shows
    wait.until(
        driver ->
            "H2"
                .equals(
                    ((org.openqa.selenium.JavascriptExecutor) driver)
                        .executeScript("return document.activeElement.tagName")));
    assertThat(browser.executeScript("return document.activeElement.tagName")).isEqualTo("H2");
  }

  @Test
  void theAuditViewShowsWhoChangedWhatAndTheChange() {
    String id = create("audited", "{\"audit\":\"yes\"}");
    node.post("/api/v1/schedules/" + id + "/disable", "{}");
    signIn("/audit");
    WebElement row =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.xpath(
                    "//table[contains(@class,'audit')]//tr[.//code[text()='schedule.disable']]")));
    assertThat(row.getText()).contains("audited");
    row.findElement(By.tagName("button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("tr.audit-change"), "enabled"));
  }

  @Test
  void withAuthenticationOffThereIsNoSignInButABadgeThatSaysSo() {
    try (ChimeTestNode open =
        ChimeTestNode.start(
            dev.chime.testing.TestDatabases.h2(),
            java.time.Clock.systemUTC(),
            java.util.Map.of("CHIME_AUTH", "off"))) {
      browser.get(open.url("/").toString());
      WebElement badge =
          wait.until(
              ExpectedConditions.visibilityOfElementLocated(By.cssSelector("header .badge.warn")));
      assertThat(badge.getText()).isEqualTo("auth off");
      assertThat(browser.findElements(By.id("token"))).isEmpty();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".empty")));
      assertThat(browser.findElement(By.cssSelector(".empty")).getText())
          .contains("No schedules yet");
    }
  }

  private static void signIn(String path) {
    String separator = "#token=";
    browser.get(node.url(path).toString() + separator + ChimeTestNode.ADMIN_TOKEN);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("header .who")));
  }

  private static String create(String name, String labels) {
    String body =
        schedule(name, interval(3600), target(target.url("/hooks/" + name).toString()))
            .replaceFirst("\\{", "{\"labels\":" + labels + ",");
    ChimeTestNode.Response created = node.post("/api/v1/schedules", body);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  private static boolean enabled(String id) {
    JsonNode schedule = node.get("/api/v1/schedules/" + id).json();
    return schedule.path("enabled").asBoolean();
  }

  private static void click(By by) {
    wait.until(ExpectedConditions.elementToBeClickable(by)).click();
  }

  private static void type(By by, String text) {
    wait.until(ExpectedConditions.visibilityOfElementLocated(by)).sendKeys(text);
  }

  private static void clear(By by) {
    WebElement element = browser.findElement(by);
    element.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
  }

  private static String value(By by) {
    return browser.findElement(by).getDomProperty("value");
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
