package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.satellite.support.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium through chromedriver), against the built jar: sign in
 * with a token typed into the password field, see the supervision tree, crash an actor from the page and watch its
 * restart count change, open a breaker with a fault injected from the page and see it open, sign out; a read token
 * sees everything and gets no controls. Skipped, saying so, where Chromium and chromedriver are not installed
 * ({@code .ci/run} installs them).
 */
class ConsoleBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String OPERATE = "oncall-token-7";
  private static final String READ = "grafana-token-7";

  @TempDir
  Path dir;
  private NodeProcess node;
  private WebDriver driver;

  @AfterEach
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (node != null) {
      node.close();
    }
  }

  private void startNodeAndBrowser() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: the browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
            + "), which .ci/run installs");
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Map<String, String> env = Map.of("SATELLITE_HTTP_PORT", String.valueOf(http),
        "SATELLITE_ADMIN_PORT", String.valueOf(admin), "SATELLITE_HTTP_HOST", "127.0.0.1",
        "SATELLITE_CHAOS_ENABLED", "true");
    node = NodeProcess.start(dir, env, http, admin, "run", "--set", "admin.tokens=[{name: oncall, token: " + OPERATE
        + ", role: operate}, {name: grafana, token: " + READ + ", role: read}]");
    node.awaitReady(Duration.ofSeconds(30));

    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1400");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  /** A wait that also outlasts the console replacing an element it is looking at (the page updates every tick). */
  private FluentWait<WebDriver> await(int seconds) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds)).ignoring(StaleElementReferenceException.class);
  }

  /** Uses the element {@code css} names, found again if the live page replaced it between finding and using. */
  private <T> T fresh(String css, Function<WebElement, T> use) {
    for (int attempt = 1; ; attempt++) {
      try {
        return use.apply(driver.findElement(By.cssSelector(css)));
      } catch (StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private String text(String css) {
    return fresh(css, WebElement::getText);
  }

  private void signIn(String token) {
    WebElement field = await(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    assertThat(field.getAttribute("type")).isEqualTo("password");
    field.sendKeys(token);
    driver.findElement(By.id("signin-submit")).click();
  }

  private void hello(int times) throws Exception {
    for (int i = 0; i < times; i++) {
      node.get("/hello");
    }
  }

  @Test
  void anOperatorSignsInCrashesAnActorFromThePageSeesItsRestartAndABreakerOpenAndSignsOut() throws Exception {
    startNodeAndBrowser();
    driver.get("http://127.0.0.1:" + node.adminPort + "/admin/");
    assertThat(driver.getCurrentUrl()).as("the token is never in a URL").doesNotContain("token");

    signIn("not-the-token");
    await(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("signin-error"), "not an admin token"));
    signIn(OPERATE);
    await(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("main")));
    assertThat(text("#who")).isEqualTo("oncall (operate)");
    assertThat(driver.manage().getCookieNamed("satellite_session").isHttpOnly()).isTrue();
    assertThat(driver.manage().getCookieNamed("satellite_session").getSameSite()).isEqualTo("Strict");
    Object readable = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return document.cookie");
    assertThat(String.valueOf(readable)).as("HttpOnly: no script reads it").doesNotContain("satellite_session");

    // the tree, live
    await(10).until(ExpectedConditions.textToBe(By.cssSelector("[data-child='hello'] .restarts"), "0"));
    assertThat(text("[data-child='hello'] .alive")).isEqualTo("2/2");
    assertThat(text("#members")).contains("(this node)");

    // crash one instance of hello from the page; the next message hits it, a fresh instance replaces it
    fresh("[data-crash='hello']", button -> {
      button.click();
      return button;
    });
    await(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "Injected"));
    hello(3);
    await(15).until(d -> !"0".equals(text("[data-child='hello'] .restarts")));
    assertThat(text("[data-child='hello'] .last-crash")).isNotEqualTo("none");
    await(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"), "hello#"));
    assertThat(text("#events")).contains("crash", "restart");

    // an error fault on hello, injected from the form, opens the /hello breaker under traffic
    new Select(driver.findElement(By.id("fault-type"))).selectByVisibleText("error");
    driver.findElement(By.id("fault-target")).sendKeys("hello");
    driver.findElement(By.id("fault-extra")).sendKeys("{\"durationMs\": 60000}");
    driver.findElement(By.id("fault-submit")).click();
    await(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#faults tr[data-fault]")));
    hello(20);
    await(15).until(ExpectedConditions.textMatches(By.cssSelector("[data-route='/hello'] .breaker"),
        java.util.regex.Pattern.compile("^open")));
    await(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"), "breaker of /hello is open"));
    ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
    Path shot = Path.of("target", "console.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));

    driver.findElement(By.id("revert-all")).click();
    await(10).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#faults tr[data-fault]"), 0));

    // signing out ends the session: a reload asks for the token again
    driver.findElement(By.id("signout")).click();
    await(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("signin")));
    driver.navigate().refresh();
    await(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    assertThat(driver.findElement(By.id("main")).isDisplayed()).isFalse();

    String audit = node.output();
    for (String action : List.of("\"action\":\"sign-in\"", "\"action\":\"POST /admin/chaos/faults\"",
        "\"action\":\"DELETE /admin/chaos/faults\"", "\"action\":\"sign-out\"")) {
      assertThat(audit).as(action).contains(action);
    }
    assertThat(audit).doesNotContain(OPERATE);
  }

  @Test
  void aReadTokenSeesTheNodeButNoControls() throws Exception {
    startNodeAndBrowser();
    driver.get("http://127.0.0.1:" + node.adminPort + "/admin/");
    signIn(READ);
    await(10).until(ExpectedConditions.textToBe(By.id("who"), "grafana (read)"));
    await(10).until(ExpectedConditions.textToBe(By.cssSelector("[data-child='hello'] .restarts"), "0"));
    assertThat(driver.findElements(By.cssSelector("[data-crash]"))).isEmpty();
    assertThat(driver.findElement(By.id("fault-form")).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.id("faults-panel")).isDisplayed()).as("the faults, read only").isTrue();
  }
}
