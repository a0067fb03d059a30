package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static decimerbeam.testing.StandInRecognizer.picture;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.JsonNode;
import decimerbeam.inference.ChosenFrom;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.tools.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
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
 * picture on screen decoded, each row's recommended answer with the rule that chose it and
 * both readers' drawings where they disagree, filters and sorting change the rows as the
 * results say they should, and the report's links lead to the rows.
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
    // The default --imageTimeout: on a busy machine MolVec may take more than a few seconds
    // an image, and a row that timed out would have no drawing to show.
    assertThat(RunCommand.run(run.options(), StandInRecognizer.factory("review-pages")),
        equalTo(PipelineResult.State.DONE));
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

  /** Rows where the readers read other structures, or the answer is not DECIMER's reading. */
  private static List<String> disagreeing(Map<String, JsonNode> rows) {
    return rows.values().stream().filter(ReviewPagesInBrowserIT::readersDisagree)
        .map(r -> r.get("image").asText()).toList();
  }

  private static boolean readersDisagree(JsonNode r) {
    return List.of("DIFFERENT", "SAME_WITHOUT_STEREO").contains(r.get("agreement").asText())
        || !answer(r).equals(r.get("smiles").asText());
  }

  /** The recommended answer: bestSmiles, DECIMER's reading where a row has none. */
  private static String answer(JsonNode r) {
    String best = r.path("bestSmiles").asText();
    return best.isEmpty() ? r.get("smiles").asText() : best;
  }

  private static boolean recognized(JsonNode r) {
    return r.get("status").asText().equals("RECOGNIZED");
  }

  /** The chosen rule's calibrated precision; empty for failed rows and unknown rules. */
  private static OptionalDouble precision(JsonNode r) {
    if (!recognized(r)) {
      return OptionalDouble.empty();
    }
    return ChosenFrom.ofLabel(r.path("chosenFrom").asText())
        .map(c -> OptionalDouble.of(c.estimatedPrecision())).orElseGet(OptionalDouble::empty);
  }

  private WebElement shownRow(String image) {
    return rows().stream().filter(r -> image.equals(r.getDomAttribute("data-image")))
        .findFirst().orElseThrow(() -> new AssertionError(image + " is not shown"));
  }

  private long naturalWidth(WebElement img) {
    return ((Number) browser.driver.executeScript("return arguments[0].naturalWidth", img))
        .longValue();
  }

  @Test
  void everyRecognisedRowShowsItsAnswerAndTheRuleThatChoseIt() throws IOException {
    Map<String, JsonNode> rows = run.rows("mixed");
    browser.open(review("mixed"));
    awaitPictures();
    int notDecimers = 0;
    for (JsonNode r : rows.values()) {
      String image = r.get("image").asText();
      WebElement tr = shownRow(image);
      List<WebElement> chosen = tr.findElements(By.cssSelector(".answer .chosen-from"));
      if (!recognized(r)) {
        assertThat(image + " (failed) shows no rule", chosen, empty());
        continue;
      }
      assertThat(image + " names the rule that chose its answer", chosen.size(), equalTo(1));
      assertThat(image + "'s rule", chosen.get(0).getText(),
          equalTo(r.get("chosenFrom").asText()));
      assertThat(image + "'s trust beside it",
          tr.findElement(By.cssSelector(".answer .trust-badge")).getText(),
          equalTo("trust " + r.get("trust").asText()));
      assertThat(image + "'s recommended SMILES",
          tr.findElement(By.cssSelector(".answer-smiles")).getText(), equalTo(answer(r)));
      notDecimers += answer(r).equals(r.get("smiles").asText()) ? 0 : 1;
    }
    // MolVec reads the real pictures, which the stand-in's answers do not match: some answers
    // are MolVec's, so the page shows more than DECIMER's SMILES.
    assertThat("rows whose answer is MolVec's, not DECIMER's", notDecimers, greaterThan(0));
    assertThat(browser.consoleErrors(), empty());
  }

  @Test
  void bothReadersAreDrawnSideBySideWhereTheyDisagree() throws IOException {
    Map<String, JsonNode> rows = run.rows("mixed");
    browser.open(review("mixed"));
    awaitPictures();
    int bothDrawn = 0;
    for (JsonNode r : rows.values()) {
      String image = r.get("image").asText();
      WebElement tr = shownRow(image);
      List<WebElement> decimer = tr.findElements(By.cssSelector("figure[data-reader=decimer]"));
      List<WebElement> molvec = tr.findElements(By.cssSelector("figure[data-reader=molvec]"));
      if (!recognized(r) || !readersDisagree(r)) {
        assertThat(image + " (failed, or the readers agree) shows no pair of readings",
            decimer.size() + molvec.size(), equalTo(0));
        continue;
      }
      assertThat(image + " shows DECIMER's reading", decimer.size(), equalTo(1));
      assertThat(image + " shows MolVec's reading", molvec.size(), equalTo(1));
      assertThat(decimer.get(0).findElement(By.cssSelector(".reader-name")).getText(),
          equalTo("DECIMER"));
      assertThat(molvec.get(0).findElement(By.cssSelector(".reader-name")).getText(),
          equalTo("MolVec"));
      boolean molvecChosen = !answer(r).equals(r.get("smiles").asText());
      assertThat(image + ": MolVec's reading is framed as recommended: " + molvecChosen,
          molvec.get(0).getDomAttribute("class").contains("chosen"), equalTo(molvecChosen));
      assertThat(image + ": DECIMER's reading is framed as recommended: " + !molvecChosen,
          decimer.get(0).getDomAttribute("class").contains("chosen"), equalTo(!molvecChosen));
      // Side by side: one line, DECIMER's first.
      assertThat(image + ": MolVec's drawing on DECIMER's line",
          molvec.get(0).getRect().getY(), equalTo(decimer.get(0).getRect().getY()));
      assertThat(image + ": MolVec's drawing right of DECIMER's",
          molvec.get(0).getRect().getX(), greaterThan(decimer.get(0).getRect().getX()));
      List<WebElement> decimerImg = decimer.get(0).findElements(By.cssSelector("img.depiction"));
      List<WebElement> molvecImg =
          molvec.get(0).findElements(By.cssSelector("img.second-depiction"));
      // DECIMER's structure is drawn where it is valid; MolVec's wherever it read one.
      boolean decimerDrawable = r.get("valid").asBoolean();
      boolean molvecDrawable = !r.get("secondInchiKey").asText().isEmpty();
      assertThat(image + ": DECIMER's drawing shown: " + decimerDrawable,
          decimerImg.size(), equalTo(decimerDrawable ? 1 : 0));
      assertThat(image + ": MolVec's drawing shown: " + molvecDrawable,
          molvecImg.size(), equalTo(molvecDrawable ? 1 : 0));
      for (WebElement img : List.of(decimerImg, molvecImg).stream().flatMap(List::stream)
          .toList()) {
        assertThat(img.getDomAttribute("alt") + " is drawn", naturalWidth(img), greaterThan(0L));
      }
      bothDrawn += decimerDrawable && molvecDrawable ? 1 : 0;
    }
    assertThat("rows with both readers' drawings", bothDrawn, greaterThan(0));
    assertThat(browser.consoleErrors(), empty());
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/review-pages-it-mixed.png"),
        browser.driver.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void sortingByEstimatedPrecisionPutsRowsWithoutOneLastBothWays() throws IOException {
    Map<String, JsonNode> rows = run.rows("mixed");
    browser.open(review("mixed"));
    assertThat("a column sorts by the answer's estimated precision",
        count("th[data-sort=precision]"), equalTo(1L));
    Comparator<JsonNode> byName = Comparator.comparing(r -> r.get("image").asText());
    Comparator<JsonNode> byPrecision = Comparator
        .comparingDouble((JsonNode r) -> precision(r).getAsDouble()).thenComparing(byName);
    List<JsonNode> rated = rows.values().stream().filter(r -> precision(r).isPresent())
        .sorted(byPrecision).toList();
    List<JsonNode> unrated = rows.values().stream().filter(r -> precision(r).isEmpty())
        .sorted(byName).toList();
    assertThat("rows with a precision", rated.size(), greaterThan(1));
    assertThat("rows without one (failed)", unrated.size(), greaterThan(0));
    List<String> ascending = Stream.concat(rated.stream(), unrated.stream())
        .map(r -> r.get("image").asText()).toList();
    List<String> descending = new ArrayList<>(rated.stream().map(r -> r.get("image").asText())
        .toList());
    java.util.Collections.reverse(descending);
    List<String> unratedDescending = new ArrayList<>(unrated.stream()
        .map(r -> r.get("image").asText()).toList());
    java.util.Collections.reverse(unratedDescending);
    descending.addAll(unratedDescending);

    WebElement header = browser.driver.findElement(By.cssSelector("th[data-sort=precision]"));
    header.click();
    assertThat(header.getDomAttribute("aria-sort"), equalTo("ascending"));
    assertThat(shownImages(), equalTo(ascending));
    header.click();
    assertThat(header.getDomAttribute("aria-sort"), equalTo("descending"));
    assertThat(shownImages(), equalTo(descending));
    // Each recognised row shows its precision; a row without one shows a dash.
    for (JsonNode r : rows.values()) {
      String shown = shownRow(r.get("image").asText())
          .findElement(By.cssSelector("td.precision")).getText();
      OptionalDouble p = precision(r);
      assertThat(r.get("image").asText() + "'s precision", shown, equalTo(p.isPresent()
          ? String.format(java.util.Locale.ROOT, "%.2f", Math.round(p.getAsDouble() * 1000)
              / 1000.0) : "\u2013"));
    }
    assertThat(browser.consoleErrors(), empty());
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

    WebElement disagree = browser.driver.findElement(By.id("only-disagreements"));
    assertThat(disagree.findElement(By.xpath("..")).getText().trim(),
        equalTo("readers disagree"));
    click("only-disagreements");
    assertThat(shownImages(), equalTo(disagreeing(rows)));
    assertThat(disagreeing(rows).size(), greaterThan(0));
    assertThat(disagreeing(rows).size(), lessThan(all.size()));
    // Keyed on the choice as well as the agreement: a row whose answer is MolVec's though the
    // agreement says nothing of it (DECIMER's SMILES has no structure to compare) is kept.
    List<String> byChoiceAlone = rows.values().stream().filter(r -> !List.of("DIFFERENT",
        "SAME_WITHOUT_STEREO").contains(r.get("agreement").asText()) && readersDisagree(r))
        .map(r -> r.get("image").asText()).toList();
    assertThat("rows whose readers disagree by the choice alone", byChoiceAlone.size(),
        greaterThan(0));
    assertThat("rows that differ by the choice alone are shown", shownImages(),
        org.hamcrest.Matchers.hasItems(byChoiceAlone.toArray(new String[0])));
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
