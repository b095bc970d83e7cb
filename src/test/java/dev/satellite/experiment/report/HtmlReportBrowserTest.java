package dev.satellite.experiment.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The report opened from a file in headless Chromium: it draws the journal's data with no page errors.
 * Skipped where Debian's {@code chromium} and {@code chromium-driver} are not installed. Both binaries are named
 * explicitly, so Selenium Manager never looks for (or downloads) a browser or a driver.
 */
class HtmlReportBrowserTest {

  // Debian's packages; the properties let a machine with other paths (or a check of the skip) say where they are
  private static final File CHROMIUM = new File(System.getProperty("satellite.test.chromium", "/usr/bin/chromium"));
  private static final File CHROMEDRIVER =
      new File(System.getProperty("satellite.test.chromedriver", "/usr/bin/chromedriver"));

  private static ChromeDriver driver;
  private static JsonObject journal;
  private static Path page;
  private static Path bare;

  private static boolean browserInstalled() {
    return CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
  }

  @BeforeEach
  void needsTheBrowser() {
    assumeTrue(browserInstalled(), "skipped: no chromium/chromedriver installed");
  }

  @BeforeAll
  static void openTheReport(@TempDir Path dir) throws Exception {
    if (!browserInstalled()) {
      return;
    }
    journal = ReportJournals.known();
    page = dir.resolve("report.html");
    HtmlReport.write(journal, page);
    // what an aborted run may leave: no Satellite additions, no steady states, no summary
    bare = dir.resolve("bare.html");
    HtmlReport.write(new JsonObject().put("status", "aborted").put("experiment", new JsonObject())
        .putNull("steady_states").put("run", new JsonArray()).putNull("summary"), bare);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600",
        "--allow-file-access-from-files");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(5));
    open(page);
  }

  private static void open(Path file) {
    driver.get(file.toUri().toString());
    new WebDriverWait(driver, Duration.ofSeconds(5)).until(d ->
        Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
            "return !!(window.satelliteReport && window.satelliteReport.ready)"
                + " || (window.satelliteReportErrors || []).length > 0")));
  }

  @AfterAll
  static void closeTheBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  private Object js(String script) {
    return driver.executeScript(script);
  }

  @Test
  void opensWithoutPageErrors() {
    assertThat((List<?>) js("return window.satelliteReportErrors")).isEmpty();
    assertThat(js("return window.satelliteReport.ready")).isEqualTo(true);
    List<String> severe = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        severe.add(entry.getMessage());
      }
    }
    assertThat(severe).isEmpty();
  }

  @Test
  void showsTheVerdictOnTop() {
    assertThat(driver.findElement(By.id("verdict-badge")).getText()).isEqualToIgnoringCase("deviated");
    String facts = driver.findElement(By.id("facts")).getText();
    assertThat(facts).contains("completed").contains("true").contains("20.0").contains("4242");
    assertThat(facts).as("the runner's notes, as text").contains("load: the first 'io' failure: java.io.IOException: "
        + "Connection reset by peer " + ReportJournals.HOSTILE);
    assertThat(driver.findElement(By.id("title")).getText())
        .isEqualTo(journal.getJsonObject("experiment").getString("title"));
  }

  @Test
  void eachLoadChartHoldsTheTimeline() {
    JsonArray timeline = journal.getJsonArray("timeline");

    assertThat(numbers(js("return window.satelliteReport.charts.throughput.data[0]"))).isEqualTo(column(timeline, "t"));
    assertThat(numbers(js("return window.satelliteReport.charts.throughput.data[1]")))
        .isEqualTo(column(timeline, "throughput"));
    assertThat(numbers(js("return window.satelliteReport.charts.errorRate.data[1]")))
        .isEqualTo(column(timeline, "errorRate"));
    assertThat(numbers(js("return window.satelliteReport.charts.latency.data[1]"))).isEqualTo(column(timeline, "p50"));
    assertThat(numbers(js("return window.satelliteReport.charts.latency.data[2]"))).isEqualTo(column(timeline, "p99"));
    assertThat(driver.findElements(By.cssSelector("#chart-throughput canvas"))).isNotEmpty();
  }

  @Test
  void everyMarkerIsABandOnEveryChart() {
    assertThat(((Number) js("return window.satelliteReport.bands.length")).intValue()).isEqualTo(2);
    assertThat(js("return window.satelliteReport.bands[0].name")).isEqualTo("kill n2");
    @SuppressWarnings("unchecked")
    Map<String, Object> drawn = (Map<String, Object>) js("return window.satelliteReport.bandsDrawn");
    assertThat(drawn).containsOnlyKeys("throughput", "errorRate", "latency", "membership");
    drawn.values().forEach(n -> assertThat(((Number) n).intValue()).isEqualTo(2));
    assertThat(driver.findElements(By.cssSelector("#markers tbody tr"))).hasSize(2);
  }

  @Test
  void membershipIsOneStripPerNode() {
    assertThat(numbers(js("return window.satelliteReport.charts.membership.data.length"))).isEqualTo(List.of(3.0));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> segments = (List<Map<String, Object>>) js("return window.satelliteReport.membership");
    assertThat(segments).hasSize(9);
    assertThat(segments.stream().filter(s -> "n2".equals(s.get("node"))).map(s -> s.get("state")))
        .containsExactly("starting", "serving", "down", "starting", "serving", "stopped");
  }

  @Test
  void listsOneRowPerActivity() {
    List<WebElement> rows = driver.findElements(By.cssSelector("#activities tbody tr"));

    assertThat(rows).hasSize(5);
    assertThat(rows.get(0).getText()).contains("steady state before").contains("load is healthy").contains("0.50");
    assertThat(rows.get(1).getText()).contains("method").contains("kill n2").contains("5.00");
    String longOutput = rows.get(2).findElements(By.tagName("td")).get(7).getText();
    assertThat(longOutput.length()).isLessThanOrEqualTo(160);
    assertThat(rows.get(4).getText()).contains("rollback").contains("restart n2").contains("failed");
  }

  @Test
  void hostileJournalStringsStayText() {
    assertThat(js("return window.pwned === undefined")).isEqualTo(true);
    assertThat(driver.findElements(By.cssSelector("main b"))).isEmpty();
    assertThat(driver.findElement(By.cssSelector("#activities tbody tr:nth-child(2)")).getText())
        .contains(ReportJournals.HOSTILE);
    assertThat(driver.findElements(By.cssSelector("script#journal"))).hasSize(1);
  }

  @Test
  void aJournalWithoutLoadOrMembershipStillOpens() {
    try {
      open(bare);

      assertThat((List<?>) js("return window.satelliteReportErrors")).isEmpty();
      assertThat(js("return window.satelliteReport.ready")).isEqualTo(true);
      assertThat(driver.findElement(By.id("verdict-badge")).getText()).isEqualToIgnoringCase("aborted");
      assertThat(driver.findElement(By.id("load-empty")).isDisplayed()).isTrue();
      assertThat(driver.findElement(By.id("membership-empty")).isDisplayed()).isTrue();
      assertThat(driver.findElements(By.cssSelector("#activities tbody tr"))).isEmpty();
    } finally {
      open(page); // the other tests read the full report
    }
  }

  private static List<Double> column(JsonArray timeline, String key) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < timeline.size(); i++) {
      values.add(timeline.getJsonObject(i).getNumber(key).doubleValue());
    }
    return values;
  }

  private static List<Double> numbers(Object value) {
    List<Double> values = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(v -> values.add(((Number) v).doubleValue()));
    } else {
      values.add(((Number) value).doubleValue());
    }
    return values;
  }
}
