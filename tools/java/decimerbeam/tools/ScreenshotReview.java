package decimerbeam.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Screenshots of a run's pages for the README, taken in headless Chromium:
 * {@code <docs>/report.png} of {@code <output>/report.html} and {@code <docs>/review.png} of
 * the review.html of the directory {@code <relative>} below the output.
 *
 * <pre>{@code
 * mvn -B -q compile exec:java          # the sample run, into target/sample-results
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=decimerbeam.tools.ScreenshotReview \
 *     -Dexec.args="target/sample-results samples/real docs"
 * }</pre>
 */
public final class ScreenshotReview {

  private ScreenshotReview() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ScreenshotReview <output folder> <directory below it> <docs>");
      System.exit(2);
    }
    Path output = Path.of(args[0]).toAbsolutePath();
    Path docs = Path.of(args[2]);
    Files.createDirectories(docs);
    try (HeadlessChromium browser = HeadlessChromium.start()) {
      browser.open(output.resolve("report.html"));
      Files.write(docs.resolve("report.png"), browser.driver.getScreenshotAs(OutputType.BYTES));
      browser.open(output.resolve(args[1]).resolve("review.html"));
      new WebDriverWait(browser.driver, java.time.Duration.ofSeconds(20)).until(d ->
          d.findElements(By.cssSelector("#rows .loading")).isEmpty()
              && (Boolean) browser.driver.executeScript(
                  "return [...document.images].every(i => i.complete)"));
      Files.write(docs.resolve("review.png"), browser.driver.getScreenshotAs(OutputType.BYTES));
      if (!browser.consoleErrors().isEmpty()) {
        throw new IllegalStateException("console errors: " + browser.consoleErrors());
      }
    }
  }
}
