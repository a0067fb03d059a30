package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static decimerbeam.testing.StandInRecognizer.picture;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.JsonNode;
import decimerbeam.testing.HeadlessChromium;
import decimerbeam.testing.StandInRecognizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * review.html and report.html of a real pipeline run (stand-in recognizer on real pictures),
 * opened from disk in a real headless Chromium: no console errors, one row per image, every
 * picture on screen decoded, filters and sorting change the rows as the results say they
 * should, and the report's links lead to the rows.
 */
class ReviewPagesInBrowserIT {

  private static final Path REAL = Path.of("samples/real");
  private static final Path GENERATED = Path.of("samples/generated");
  private static final int MANY = 130;

  @TempDir static Path tmp;
  private static LocalRunFolders run;
  private static HeadlessChromium browser;

  @BeforeAll
  static void runPipelineAndStartBrowser() throws Exception {
    // The browser first: a machine without one fails at once, saying what to install.
    browser = HeadlessChromium.start();
    run = new LocalRunFolders(tmp);
    List<Path> real = sorted(REAL);
    // Answers chosen to give every kind of row: clean, warned, invalid, failed, no picture.
    run.put("mixed/" + real.get(0).getFileName(), picture(Files.readAllBytes(real.get(0)),
        "smiles=CN1C=NC2=C1C(=O)N(C(=O)N2C)C", "confidence=0.99"));
    run.put("mixed/" + real.get(1).getFileName(), picture(Files.readAllBytes(real.get(1)),
        "smiles=c1ccccc1[Pb]", "confidence=0.97"));
    run.put("mixed/" + real.get(2).getFileName(), picture(Files.readAllBytes(real.get(2)),
        "smiles=CCO", "confidence=0.6"));
    run.put("mixed/" + real.get(3).getFileName(), picture(Files.readAllBytes(real.get(3)),
        "smiles=C1CC", "confidence=0.95"));
    run.put("mixed/" + real.get(4).getFileName(), picture(Files.readAllBytes(real.get(4)),
        "fail=MODEL_ERROR"));
    run.put("mixed/" + real.get(5).getFileName(), picture(Files.readAllBytes(real.get(5)),
        "smiles=OC(=O)c1ccccc1", "confidence=0.8"));
    run.put("mixed/not-a-picture.png", image("smiles=CC(=O)O", "confidence=0.9"));
    for (Path p : sorted(GENERATED)) {
      run.put("generated/" + p.getFileName(), Files.readAllBytes(p));
    }
    byte[] small = Files.readAllBytes(real.get(6));
    for (int i = 0; i < MANY; i++) {
      run.put(String.format("many/%03d.png", i), picture(small,
          "smiles=C" + "C".repeat(i % 7) + "O", "confidence=" + (0.5 + (i % 50) / 100.0)));
    }
    assertThat(RunCommand.run(run.options("--imageTimeout=20"),
        StandInRecognizer.factory("review-pages")), equalTo(PipelineResult.State.DONE));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private static List<Path> sorted(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }

  private static Path review(String dir) {
    return run.out.resolve("plates/" + dir + "/review.html");
  }

  private List<WebElement> rows() {
    return browser.driver.findElements(By.cssSelector("#rows tbody tr.row"));
  }

  private List<String> shownImages() {
    return rows().stream().map(r -> r.getDomAttribute("data-image")).toList();
  }

  /** Waits until no cell of the shown rows waits for its picture chunk. */
  private void awaitPictures() {
    new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d ->
        d.findElements(By.cssSelector("#rows .loading")).isEmpty());
    new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d ->
        (Boolean) browser.driver.executeScript("return [...document.images]"
            + ".every(i => i.complete)"));
  }

  /** Every picture shown decoded to a real size; the number of each class shown. */
  private Map<String, Long> assertPicturesRendered() {
    awaitPictures();
    List<WebElement> images = browser.driver.findElements(By.cssSelector("#rows img"));
    for (WebElement img : images) {
      Number width = (Number) browser.driver.executeScript("return arguments[0].naturalWidth",
          img);
      assertThat(img.getDomAttribute("alt") + " is drawn", width.intValue(), greaterThan(0));
    }
    return Map.of(
        "thumb", count("#rows img.thumb"),
        "depiction", count("#rows img.depiction"),
        "second", count("#rows img.second-depiction"),
        "no thumbnail", count("#rows .thumb-none"),
        "no drawing", count("#rows .depiction-none"),
        "no second drawing", count("#rows .second-depiction-none"));
  }

  private long count(String css) {
    return browser.driver.findElements(By.cssSelector(css)).size();
  }

  private void click(String id) {
    browser.driver.findElement(By.id(id)).click();
  }

  private void type(String id, String value) {
    WebElement input = browser.driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(value);
  }

  @Test
  void reviewPageShowsEveryRowWithItsPictures() throws IOException {
    Map<String, JsonNode> rows = run.rows("mixed");
    browser.open(review("mixed"));
    assertThat(shownImages(), equalTo(List.copyOf(rows.keySet())));
    Map<String, Long> shown = assertPicturesRendered();
    // Six real pictures have a thumbnail; the text "image" has none and says so.
    assertThat(shown.get("thumb"), equalTo(6L));
    assertThat(shown.get("no thumbnail"), equalTo(1L));
    long drawable = rows.values().stream().filter(r -> r.get("valid").asBoolean()).count();
    long undrawable = rows.values().stream().filter(r -> r.get("status").asText()
        .equals("RECOGNIZED") && !r.get("valid").asBoolean()).count();
    assertThat(shown.get("depiction"), equalTo(drawable));
    assertThat(shown.get("no drawing"), equalTo(undrawable));
    assertThat(undrawable, equalTo(1L));
    // MolVec reads the real pictures, which the stand-in's answers do not match: its structure
    // is drawn beside each disagreement.
    long disagreeing = disagreeing(rows).size();
    assertThat(disagreeing, greaterThan(0L));
    assertThat(shown.get("second") + shown.get("no second drawing"), equalTo(disagreeing));
    assertThat(shown.get("second"), greaterThan(0L));
    assertThat(browser.consoleErrors(), empty());

    browser.open(review("generated"));
    assertThat(shownImages(), equalTo(List.copyOf(run.rows("generated").keySet())));
    shown = assertPicturesRendered();
    assertThat(shown.get("thumb"), equalTo((long) rows("generated")));
    assertThat(shown.get("depiction"), equalTo((long) rows("generated")));
    assertThat(browser.consoleErrors(), empty());
  }

  private static List<String> disagreeing(Map<String, JsonNode> rows) {
    return rows.values().stream().filter(r -> List.of("DIFFERENT", "SAME_WITHOUT_STEREO")
        .contains(r.get("agreement").asText())).map(r -> r.get("image").asText()).toList();
  }

  private int rows(String dir) throws IOException {
    return run.rows(dir).size();
  }

  @Test
  void filtersChangeTheRowsAndBringThemBack() throws IOException {
    Map<String, JsonNode> rows = run.rows("mixed");
    browser.open(review("mixed"));
    List<String> all = shownImages();

    click("only-warnings");
    List<String> warned = rows.values().stream().filter(r -> r.get("warnings").size() > 0)
        .map(r -> r.get("image").asText()).toList();
    assertThat(warned.size(), greaterThan(0));
    assertThat(warned.size(), lessThan(all.size()));
    assertThat(shownImages(), equalTo(warned));
    click("only-warnings");
    assertThat(shownImages(), equalTo(all));

    type("max-confidence", "0.7");
    List<String> unsure = rows.values().stream()
        .filter(r -> r.get("meanConfidence").asDouble() <= 0.7)
        .map(r -> r.get("image").asText()).toList();
    assertThat(shownImages(), equalTo(unsure));
    assertThat(unsure.size(), lessThan(all.size()));
    type("max-confidence", "1");
    assertThat(shownImages(), equalTo(all));

    new Select(browser.driver.findElement(By.id("trust"))).selectByValue("low");
    List<String> low = rows.values().stream().filter(r -> r.get("trust").asText().equals("low"))
        .map(r -> r.get("image").asText()).toList();
    assertThat(shownImages(), equalTo(low));
    new Select(browser.driver.findElement(By.id("trust"))).selectByValue("");

    click("only-disagreements");
    assertThat(shownImages(), equalTo(disagreeing(rows)));
    assertThat(disagreeing(rows).size(), lessThan(all.size()));
    click("only-disagreements");
    assertThat(shownImages(), equalTo(all));
    assertThat(browser.consoleErrors(), empty());
  }

  @Test
  void sortingOrdersByTheClickedColumn() throws IOException {
    Map<String, JsonNode> rows = run.rows("mixed");
    browser.open(review("mixed"));
    browser.driver.findElement(By.cssSelector("th[data-sort=confidence]")).click();
    Comparator<JsonNode> byConfidence = Comparator
        .comparingDouble((JsonNode r) -> r.get("meanConfidence").asDouble())
        .thenComparing(r -> r.get("image").asText());
    List<String> ascending = rows.values().stream().sorted(byConfidence)
        .map(r -> r.get("image").asText()).toList();
    assertThat(shownImages(), equalTo(ascending));
    browser.driver.findElement(By.cssSelector("th[data-sort=confidence]")).click();
    List<String> descending = new ArrayList<>(ascending);
    java.util.Collections.reverse(descending);
    assertThat(shownImages(), equalTo(descending));
    assertThat(browser.consoleErrors(), empty());
  }

  @Test
  void manyRowsArePagedAndTheirPicturesLoadedOnlyWhenShown() throws IOException {
    browser.open(review("many"));
    assertThat(rows().size(), equalTo(50));
    assertPicturesRendered();
    // Only the first chunk is asked for while the first 50 rows are shown.
    assertThat(count("script[src*='page-']"), equalTo(1L));
    List<String> seen = new ArrayList<>(shownImages());
    click("next");
    seen.addAll(shownImages());
    click("next");
    assertThat(rows().size(), equalTo(MANY - 100));
    Map<String, Long> shown = assertPicturesRendered();
    assertThat(shown.get("thumb"), equalTo((long) MANY - 100));
    assertThat(count("script[src*='page-']"), equalTo(2L));
    seen.addAll(shownImages());
    assertThat(seen, equalTo(List.copyOf(run.rows("many").keySet())));
    assertThat(browser.consoleErrors(), empty());
  }

  @Test
  void aTokenInThePageAddressGoesWithItsChunksAndLinks() throws IOException {
    // As a page opened through a container SAS URL: the chunks need the same token.
    browser.driver.get(review("mixed").toUri() + "?sv=1&sig=abc");
    assertPicturesRendered();
    assertThat(browser.driver.findElement(By.cssSelector("script[src*='page-']"))
        .getDomAttribute("src"), equalTo("_review/page-0001.js?sv=1&sig=abc"));
    browser.driver.get(run.out.resolve("report.html").toUri() + "?sv=1&sig=abc");
    for (WebElement a : browser.driver.findElements(By.cssSelector("a.review-link"))) {
      assertThat(a.getDomAttribute("href"),
          org.hamcrest.Matchers.matchesPattern("[^?#]*review\\.html\\?sv=1&sig=abc(#.*)?"));
    }
    assertThat(browser.consoleErrors(), empty());
  }

  @Test
  void runReportSumsTheRunAndLinksToTheRows() throws IOException {
    Path report = run.out.resolve("report.html");
    browser.open(report);
    JsonNode summary = run.json("_run-summary.json");
    int recognized = summary.get("images").get("recognized").asInt();
    long binned = browser.driver.findElements(By.cssSelector("#histogram rect.bar")).stream()
        .mapToLong(b -> Long.parseLong(b.getDomAttribute("data-count"))).sum();
    assertThat(binned, equalTo((long) recognized));
    long timed = browser.driver.findElements(By.cssSelector("#throughput rect.bar")).stream()
        .mapToLong(b -> Long.parseLong(b.getDomAttribute("data-count"))).sum();
    assertThat(timed, equalTo(summary.get("images").get("total").asLong()));
    assertThat(browser.driver.findElement(By.cssSelector("#failures")).getText(),
        org.hamcrest.Matchers.containsString("MODEL_ERROR"));
    assertThat(browser.driver.findElement(By.cssSelector("#warnings")).getText(),
        org.hamcrest.Matchers.containsString("UNUSUAL_ELEMENT"));
    assertThat(count("#directories tbody tr"), equalTo(3L));
    List<WebElement> worst = browser.driver.findElements(By.cssSelector("#worst tbody tr"));
    assertThat(worst.size(), greaterThan(0));
    // The worst row of the run is the one read as lead; its link shows just that row.
    WebElement first = worst.get(0).findElement(By.cssSelector("a.review-link"));
    String image = first.getText();
    assertThat(run.rows("mixed").get(image).get("trust").asText(), equalTo("low"));
    assertThat(browser.consoleErrors(), empty());
    first.click();
    new WebDriverWait(browser.driver, Duration.ofSeconds(10)).until(d ->
        d.getCurrentUrl().contains("review.html"));
    assertThat(shownImages(), equalTo(List.of(image)));
    assertThat(count("#rows tr.target"), equalTo(1L));
    assertPicturesRendered();
    assertThat(browser.consoleErrors(), empty());
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/review-pages-it-report.png"),
        browser.driver.getScreenshotAs(OutputType.BYTES));
  }
}
