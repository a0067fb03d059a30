package decimerbeam.tools;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium for the page tests and the README's screenshots, driven through the
 * system's chromedriver: Debian's {@code chromium} and {@code chromium-driver} packages (.ci/run
 * installs them). Missing ones fail with what to install; Selenium is never left to download a
 * browser.
 */
public final class HeadlessChromium implements AutoCloseable {

  private static final List<String> BROWSERS = List.of("/usr/bin/chromium",
      "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver",
      "/usr/lib/chromium/chromedriver");

  public final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts the browser; an AssertionError says what to install when it is not there. */
  public static HeadlessChromium start() {
    String browser = find("chromium.binary", BROWSERS);
    String chromedriver = find("webdriver.chrome.driver", DRIVERS);
    if (browser == null || chromedriver == null) {
      throw new AssertionError("page tests need a headless Chromium and its driver: "
          + (browser == null ? "no browser at " + where("chromium.binary", BROWSERS) : "")
          + (chromedriver == null
              ? " no chromedriver at " + where("webdriver.chrome.driver", DRIVERS) : "")
          + "; install them with `apt-get install -y chromium chromium-driver` (Debian/Ubuntu;"
          + " .ci/run does this), or name them with -Dchromium.binary=... and"
          + " -Dwebdriver.chrome.driver=...");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser);
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-gpu", "--window-size=1400,1000", "--hide-scrollbars");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new HeadlessChromium(driver);
  }

  private static String where(String property, List<String> candidates) {
    String named = System.getProperty(property);
    return named != null && !named.isBlank() ? named + " (-D" + property + ")"
        : candidates.toString();
  }

  private static String find(String property, List<String> candidates) {
    String named = System.getProperty(property);
    if (named != null && !named.isBlank()) {
      return Files.isExecutable(Path.of(named)) ? named : null;
    }
    return candidates.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst()
        .orElse(null);
  }

  /** Opens a local file as a file:// URL, as a user double-clicking it would. */
  public void open(Path file) {
    driver.get(file.toUri().toString());
  }

  /** Browser console entries at SEVERE (errors) since the last call. */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::toString).toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
