package org.vae4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.vae4j.serve.Vae;

/**
 * The page of {@code vae serve} in a real browser: Debian's headless Chromium, driven by its chromedriver through
 * Selenium, against a {@link ModelServer} on a loopback port. Skipped, with one line saying how to get them, where
 * the two are not installed ({@code .ci/run} installs them). With {@code -Dvae4j.screenshots=DIR} the page's
 * screenshots are written there (the README's come from this test).
 */
class BrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static Vae z32;
  private static Vae column;
  private static ModelServer server;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "no Chromium here: apt-get install chromium chromium-driver (Debian) to run the browser tests");
    z32 = Vae.load(Path.of("savedmodels/mnist-z32"));
    column = Vae.load(Path.of("savedmodels/mnist-cvae-column"));
    server = ModelServer.start(ModelServer.Options.defaults().withPort(0).withPoll(Duration.ZERO)
        .withModel("mnist-z32", z32).withModel("mnist-cvae-column", column));
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1400,1250", "--no-first-run", "--disable-extensions");
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build(), options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
      z32.close();
      column.close();
    }
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(60));
  }

  private static void open(String model) {
    browser.get(server.uri().toString());
    waiting().until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    if (!model.equals(new Select(browser.findElement(By.id("model"))).getFirstSelectedOption().getText())) {
      new Select(browser.findElement(By.id("model"))).selectByVisibleText(model);
      waiting().until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready"))
          && d.findElement(By.id("card")).getText().contains(model));
    }
  }

  private static String pixels(String canvas) {
    return (String) ((JavascriptExecutor) browser).executeScript(
        "return document.getElementById(arguments[0]).toDataURL();", canvas);
  }

  private static void draw(WebElement canvas) {
    new Actions(browser).moveToElement(canvas, -20, -90).clickAndHold().moveByOffset(10, 60).moveByOffset(15, 60)
        .moveByOffset(5, 50).release().perform();
  }

  @Test
  void thePageLoadsWithoutErrorsAndEverythingAnswers() throws Exception {
    open("mnist-z32");
    String card = browser.findElement(By.id("card")).getText();
    // the Vae handed over was loaded from savedmodels/mnist-z32, whose highest version is 2: served as version 2
    assertTrue(card.contains("latent size\n32") && card.contains("mnist-z32, version 2"), card);
    waiting().until(d -> d.findElements(By.cssSelector("#samples canvas")).size() == 16);

    // a slider moves the code and the decoded picture changes
    waiting().until(d -> d.findElement(By.id("decoded")).getDomAttribute("data-count") != null);
    List<WebElement> sliders = browser.findElements(By.cssSelector("#sliders input.slider"));
    assertEquals(Explorer.SLIDERS, sliders.size());
    String before = pixels("decoded");
    String count = browser.findElement(By.id("decoded")).getDomAttribute("data-count");
    sliders.get(0).sendKeys(Keys.END);
    waiting().until(d -> !count.equals(d.findElement(By.id("decoded")).getDomAttribute("data-count")));
    waiting().until(d -> !before.equals(pixels("decoded")));
    assertNotEquals(before, pixels("decoded"));
    double ms = roundTrips(sliders.get(1));
    System.out.printf("slider decode round trip in the browser: median %.1f ms (mnist-z32)%n", ms);

    // drawing gives a reconstruction, a score and its percentile
    WebElement canvas = browser.findElement(By.id("canvas"));
    String emptyReconstruction = pixels("reconstruction");
    draw(canvas);
    waiting().until(d -> d.findElement(By.id("score")).getDomAttribute("data-value") != null);
    double elbo = Double.parseDouble(browser.findElement(By.id("score")).getDomAttribute("data-value"));
    assertTrue(elbo < 0 && elbo > -2000, "ELBO " + elbo);
    assertTrue(browser.findElement(By.id("percentile")).getText().matches("scores higher than [0-9.]+% of .*"),
        browser.findElement(By.id("percentile")).getText());
    assertNotEquals(emptyReconstruction, pixels("reconstruction"));
    screenshot("serve-page.png");

    // a partial-input model completes what was drawn
    open("mnist-cvae-column");
    draw(browser.findElement(By.id("canvas")));
    waiting().until(d -> d.findElements(By.cssSelector("#completions canvas")).size() == 6);
    screenshot("serve-page-completion.png");

    List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    assertTrue(errors.isEmpty(), "console: " + errors);
  }

  /** Median of the page's own decode times over several slider steps (each a predict call over loopback). */
  private static double roundTrips(WebElement slider) {
    double[] times = new double[15];
    for (int i = 0; i < times.length; i++) {
      String count = browser.findElement(By.id("decoded")).getDomAttribute("data-count");
      slider.sendKeys(i % 2 == 0 ? Keys.ARROW_RIGHT : Keys.ARROW_LEFT);
      waiting().until(d -> !count.equals(d.findElement(By.id("decoded")).getDomAttribute("data-count")));
      times[i] = Double.parseDouble(browser.findElement(By.id("decoded")).getDomAttribute("data-ms"));
    }
    java.util.Arrays.sort(times);
    return times[times.length / 2];
  }

  private static void screenshot(String name) throws Exception {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.write(target, png);
    String dir = System.getProperty("vae4j.screenshots");
    if (dir != null) {
      Files.write(Path.of(dir, name), png);
    }
  }
}
