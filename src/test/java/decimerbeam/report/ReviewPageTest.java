package decimerbeam.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.inference.ChosenFrom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * review.html's size bound, on synthetic directories as large as the pipeline expects, and what
 * the page is given to show each row's recommended answer and the evidence for it.
 */
class ReviewPageTest {

  /** The bound README states for a 10,000-image directory's review.html. */
  static final int PAGE_BOUND_10K = 4 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ROWS = Pattern.compile("const ROWS = (\\[.*?\\]);\\n",
      Pattern.DOTALL);
  private static final Pattern CHUNK = Pattern.compile(
      "decimerReview\\((\\d+),(\\[.*\\])\\);\\n", Pattern.DOTALL);

  private static JsonNode pageRows(Map<String, byte[]> files) throws Exception {
    Matcher m = ROWS.matcher(new String(files.get(ReviewPage.FILE), StandardCharsets.UTF_8));
    assertThat("review.html holds its rows", m.find(), equalTo(true));
    return JSON.readTree(m.group(1));
  }

  /** Checks every chunk's bounds; the row indexes each holds, by chunk number. */
  private static List<List<Integer>> chunks(Map<String, byte[]> files) throws Exception {
    List<List<Integer>> chunks = new ArrayList<>();
    for (int k = 1; files.containsKey(ReviewPage.chunkName(k)); k++) {
      byte[] chunk = files.get(ReviewPage.chunkName(k));
      assertThat(chunk.length, lessThanOrEqualTo(ReviewPage.MAX_CHUNK_BYTES));
      Matcher m = CHUNK.matcher(new String(chunk, StandardCharsets.UTF_8));
      assertThat("chunk " + k + " calls decimerReview", m.matches(), equalTo(true));
      assertThat(Integer.parseInt(m.group(1)), equalTo(k));
      List<Integer> rows = new ArrayList<>();
      JSON.readTree(m.group(2)).forEach(item -> rows.add(item.get(0).asInt()));
      assertThat(rows.size(), lessThanOrEqualTo(ReviewPage.ROWS_PER_CHUNK));
      chunks.add(rows);
    }
    assertThat(files.size(), equalTo(chunks.size() + 1));
    return chunks;
  }

  /** Every row is in exactly one chunk, the one the page names for it, in order. */
  private static void assertRowsAndChunksAgree(JsonNode rows, List<List<Integer>> chunks) {
    int next = 0;
    for (int k = 0; k < chunks.size(); k++) {
      for (int index : chunks.get(k)) {
        assertThat(index, equalTo(next));
        assertThat(rows.get(index).get("k").asInt(), equalTo(k + 1));
        next++;
      }
    }
    assertThat(next, equalTo(rows.size()));
  }

  /** The media items of chunk {@code k}: [row, thumbnail, drawings..., candidates]. */
  private static JsonNode chunkItems(Map<String, byte[]> files, int k) throws Exception {
    Matcher m = CHUNK.matcher(new String(files.get(ReviewPage.chunkName(k)),
        StandardCharsets.UTF_8));
    assertThat("chunk " + k + " calls decimerReview", m.matches(), equalTo(true));
    return JSON.readTree(m.group(2));
  }

  private static String realThumbnail() throws Exception {
    return Thumbnail.of(Files.readAllBytes(Path.of("samples/real/molscribe-example.png")))
        .orElseThrow();
  }

  @Test
  void aTenThousandImageDirectoryStaysWithinItsBounds() throws Exception {
    String thumbnail = realThumbnail();
    Random random = new Random(13);
    List<String> structures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      structures.add("c1ccc(cc1)" + "C".repeat(1 + i % 9) + "N" + "C(=O)O".repeat(1 + i % 3)
          + (i % 2 == 0 ? "Cl" : "OC"));
    }
    List<ReviewEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String name = String.format("plate-%04d/well-%05d.png", i / 96, i);
      if (i % 50 == 7) {
        entries.add(new ReviewEntry(name, "FAILED", "", 0, 0, List.of(), "", "TIMEOUT",
            "recognition took longer than 600 s (--imageTimeout)", "", "", "", "", List.of(),
            thumbnail));
        continue;
      }
      double confidence = 0.5 + random.nextDouble() / 2;
      List<String> warnings = confidence < 0.8 ? List.of("LOW_CONFIDENCE") : List.of();
      boolean differ = i % 10 == 0;
      String smiles = structures.get(i % structures.size());
      String second = structures.get((i + 1) % structures.size());
      // Every tenth row: the readers disagree, MolVec's answer is chosen, and DECIMER's
      // k-best candidates are kept.
      List<String> candidates = differ ? List.of(smiles, second,
          structures.get((i + 2) % structures.size())) : List.of();
      entries.add(new ReviewEntry(name, "RECOGNIZED", smiles, confidence, confidence - 0.2,
          warnings, warnings.isEmpty() ? "high" : "medium", "", "",
          differ ? "DIFFERENT" : "SAME", second, differ ? second : smiles,
          (differ ? ChosenFrom.MOLVEC_BOTH_WARNED : ChosenFrom.CONSENSUS).label(),
          candidates, thumbnail));
    }
    Map<String, byte[]> files =
        ReviewPage.render("azfs://account/plates/run-7/", entries, new StructureDepiction());

    byte[] page = files.get(ReviewPage.FILE);
    assertThat(page.length, lessThan(PAGE_BOUND_10K));
    JsonNode rows = pageRows(files);
    assertThat(rows.size(), equalTo(10_000));
    List<List<Integer>> chunks = chunks(files);
    assertThat(chunks.size(), greaterThanOrEqualTo(10_000 / ReviewPage.ROWS_PER_CHUNK));
    assertRowsAndChunksAgree(rows, chunks);
    long largest = 0;
    for (int k = 1; k <= chunks.size(); k++) {
      largest = Math.max(largest, files.get(ReviewPage.chunkName(k)).length);
    }
    System.out.printf("10,000 rows: review.html %d bytes, %d chunks, largest %d bytes%n",
        page.length, chunks.size(), largest);
  }

  @Test
  void rowsWithTheLargestPicturesCloseChunksEarly() throws Exception {
    // A thumbnail as large as allowed, two of the largest drawings allowed and as many k-best
    // candidates as are drawn, each another structure, on every row.
    String thumbnail = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(
        new byte[Thumbnail.MAX_BYTES]);
    String big = "CC1=C2[C@@]([C@]([C@H]([C@@H]3[C@]4([C@H](OC4)C[C@@H]([C@]3(C(=O)[C@@H]2OC"
        + "(=O)C)C)O)OC(=O)C)OC(=O)c5ccccc5)(C[C@@H]1OC(=O)[C@H](O)[C@@H](NC(=O)c6ccccc6)c7"
        + "ccccc7)O)(C)C";
    List<String> candidates = new ArrayList<>();
    for (int j = 0; j <= ReviewPage.MAX_ALTERNATIVES; j++) {
      candidates.add(big + "C".repeat(j + 1));
    }
    List<ReviewEntry> entries = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      entries.add(new ReviewEntry("x" + i + ".png", "RECOGNIZED", big, 0.9, 0.8, List.of(),
          "low", "", "", "DIFFERENT", big + "O", big + "O",
          ChosenFrom.MOLVEC_BOTH_WARNED.label(), candidates, thumbnail));
    }
    Map<String, byte[]> files = ReviewPage.render("/d/", entries, new StructureDepiction());
    List<List<Integer>> chunks = chunks(files);
    assertThat("300 rows this large need more than 3 chunks, got " + chunks.size(),
        chunks.size() > 3, equalTo(true));
    JsonNode first = chunkItems(files, 1).get(0);
    assertThat("each row draws at most " + ReviewPage.MAX_ALTERNATIVES + " candidates",
        first.get(5).size(), equalTo(ReviewPage.MAX_ALTERNATIVES));
    assertRowsAndChunksAgree(pageRows(files), chunks);
  }

  @Test
  void textCannotCloseThePageScript() throws Exception {
    String hostile = "</script><script>alert(1)</script><!--";
    Map<String, byte[]> files = ReviewPage.render("/d/<b>/", List.of(new ReviewEntry(hostile,
        "FAILED", "", 0, 0, List.of(), "", "UNREADABLE", hostile, "", "", "", "", List.of(),
        "")), new StructureDepiction());
    String page = new String(files.get(ReviewPage.FILE), StandardCharsets.UTF_8);
    assertThat(page, not(containsString(hostile)));
    assertThat(page, not(containsString("/d/<b>/")));
    assertThat(pageRows(files).get(0).get("n").asText(), equalTo(hostile));
  }

  private static final String CAFFEINE = "CN1C=NC2=C1C(=O)N(C(=O)N2C)C";
  private static final String THEOBROMINE = "CN1C=NC2=C1C(=O)NC(=O)N2C";
  private static final String LACTIC = "C[C@H](O)C(=O)O";
  private static final String LACTIC_FLAT = "CC(O)C(=O)O";

  private static ReviewEntry recognized(String name, String smiles, String agreement,
      String second, String best, String chosenFrom, String trust, List<String> candidates) {
    return new ReviewEntry(name, "RECOGNIZED", smiles, 0.9, 0.7, List.of(), trust, "", "",
        agreement, second, best, chosenFrom, candidates, "");
  }

  /** Rows of every kind of choice: consensus, MolVec's stereo, MolVec's other structure... */
  private static List<ReviewEntry> choices() {
    return List.of(
        recognized("a-consensus.png", CAFFEINE, "SAME", CAFFEINE, CAFFEINE,
            ChosenFrom.CONSENSUS.label(), "high", List.of()),
        recognized("b-stereo.png", LACTIC_FLAT, "SAME_WITHOUT_STEREO", LACTIC, LACTIC,
            ChosenFrom.MOLVEC_STEREO.label(), "medium", List.of()),
        recognized("c-decimer-kept.png", CAFFEINE, "DIFFERENT", THEOBROMINE, CAFFEINE,
            ChosenFrom.DECIMER_MOLVEC_WARNED.label(), "medium",
            List.of(CAFFEINE, THEOBROMINE, "CCO")),
        recognized("d-alone.png", THEOBROMINE, "", "", THEOBROMINE,
            ChosenFrom.DECIMER_ALONE.label(), "medium", List.of()),
        recognized("e-unknown-rule.png", "CCO", "", "", "CCO", "someday/new-rule", "low",
            List.of()),
        recognized("f-older-row.png", "CCN", "", "", "", "", "", List.of()),
        new ReviewEntry("g-failed.png", "FAILED", "", 0, 0, List.of(), "", "TIMEOUT", "slow",
            "", "", "", "", List.of(), ""));
  }

  @Test
  void theEstimatedPrecisionIsTheChosenRulesAndNoneForFailedOrUnknownRows() {
    List<ReviewEntry> rows = choices();
    assertThat(rows.get(0).estimatedPrecision(),
        equalTo(OptionalDouble.of(ChosenFrom.CONSENSUS.estimatedPrecision())));
    assertThat(rows.get(1).estimatedPrecision(),
        equalTo(OptionalDouble.of(ChosenFrom.MOLVEC_STEREO.estimatedPrecision())));
    assertThat(rows.get(4).estimatedPrecision(), equalTo(OptionalDouble.empty()));
    assertThat(rows.get(5).estimatedPrecision(), equalTo(OptionalDouble.empty()));
    assertThat(rows.get(6).estimatedPrecision(), equalTo(OptionalDouble.empty()));
    // A failed row has no precision even if it names a rule.
    assertThat(new ReviewEntry("x.png", "FAILED", "", 0, 0, List.of(), "", "TIMEOUT", "", "",
        "", "", ChosenFrom.CONSENSUS.label(), List.of(), "").estimatedPrecision(),
        equalTo(OptionalDouble.empty()));
  }

  @Test
  void theReadersDisagreeWhereTheyReadOtherStructuresOrTheAnswerIsNotDecimers() {
    List<Boolean> disagree = choices().stream().map(ReviewEntry::disagrees).toList();
    assertThat(disagree, equalTo(List.of(false, true, true, false, false, false, false)));
    // SAME structure by InChIKey, yet MolVec's SMILES is the answer: still both are shown.
    assertThat("an answer other than DECIMER's is a disagreement, whatever the agreement",
        recognized("x.png", CAFFEINE, "SAME", "Cn1cnc2c1c(=O)n(C)c(=O)n2C",
        "Cn1cnc2c1c(=O)n(C)c(=O)n2C", ChosenFrom.CONSENSUS.label(), "high", List.of())
        .disagrees(),
        equalTo(true));
    assertThat(choices().get(5).answer(), equalTo("CCN"));
  }

  @Test
  void everyRowCarriesItsAnswerTheRuleThatChoseItAndItsPrecision() throws Exception {
    Map<String, byte[]> files = ReviewPage.render("/d/", choices(), new StructureDepiction());
    JsonNode rows = pageRows(files);
    List<String> chosenFrom = new ArrayList<>();
    rows.forEach(r -> chosenFrom.add(r.path("f").asText("(none)")));
    assertThat(chosenFrom, equalTo(List.of(ChosenFrom.CONSENSUS.label(),
        ChosenFrom.MOLVEC_STEREO.label(), ChosenFrom.DECIMER_MOLVEC_WARNED.label(),
        ChosenFrom.DECIMER_ALONE.label(), "someday/new-rule", "(none)", "(none)")));
    // The answer is on the page only where it is not DECIMER's reading.
    assertThat(rows.get(1).path("b").asText(), equalTo(LACTIC));
    for (int i : new int[] {0, 2, 3, 4, 5, 6}) {
      assertThat("row " + i + "'s answer is DECIMER's reading, not repeated",
          rows.get(i).has("b"), equalTo(false));
    }
    assertThat(rows.get(0).get("p").asDouble(),
        equalTo(ChosenFrom.CONSENSUS.estimatedPrecision()));
    assertThat(rows.get(1).get("p").asDouble(),
        equalTo(ChosenFrom.MOLVEC_STEREO.estimatedPrecision()));
    assertThat(rows.get(2).get("p").asDouble(),
        equalTo(ChosenFrom.DECIMER_MOLVEC_WARNED.estimatedPrecision()));
    for (int i : new int[] {4, 5, 6}) {
      assertThat("row " + i + " (unknown rule, older row, failed) has no precision to sort by",
          rows.get(i).has("p"), equalTo(false));
    }
  }

  @Test
  void bothReadersAreDrawnWhereTheyDisagreeAndNoDrawingIsSentTwice() throws Exception {
    Map<String, byte[]> files = ReviewPage.render("/d/", choices(), new StructureDepiction());
    JsonNode items = chunkItems(files, 1);
    assertThat(items.size(), equalTo(7));
    for (JsonNode item : items) {
      assertThat("item " + item.get(0) + " is [row, thumbnail, DECIMER's drawing, MolVec's"
          + " drawing, the answer's drawing, candidates]", item.size(), equalTo(6));
    }
    // Agreement: DECIMER's drawing only, and it is the answer's (slot 2).
    JsonNode consensus = items.get(0);
    assertThat(consensus.get(2).asText(), startsWith("data:image/svg+xml;base64,"));
    assertThat(consensus.get(3).asText(), equalTo(""));
    assertThat(consensus.get(4).asInt(), equalTo(2));
    // MolVec's stereo chosen: both drawn, two different drawings, the answer MolVec's (slot 3).
    JsonNode stereo = items.get(1);
    assertThat(stereo.get(2).asText(), startsWith("data:image/svg+xml;base64,"));
    assertThat(stereo.get(3).asText(), startsWith("data:image/svg+xml;base64,"));
    assertThat(stereo.get(3).asText(), not(equalTo(stereo.get(2).asText())));
    assertThat("the answer slot points at a drawing already sent", stereo.get(4).isInt(),
        equalTo(true));
    assertThat(stereo.get(4).asInt(), equalTo(3));
    // They differ, DECIMER's kept: both drawn, the answer DECIMER's; candidates drawn, each
    // once: the first is DECIMER's reading (slot 2), the second MolVec's (slot 3).
    JsonNode kept = items.get(2);
    assertThat(kept.get(3).asText(), startsWith("data:image/svg+xml;base64,"));
    assertThat(kept.get(4).asInt(), equalTo(2));
    JsonNode candidates = kept.get(5);
    assertThat(candidates.size(), equalTo(3));
    assertThat(candidates.get(0).get(0).asText(), equalTo(CAFFEINE));
    assertThat(candidates.get(0).get(1).asInt(), equalTo(2));
    assertThat(candidates.get(1).get(1).asInt(), equalTo(3));
    assertThat(candidates.get(2).get(0).asText(), equalTo("CCO"));
    assertThat(candidates.get(2).get(1).asText(), startsWith("data:image/svg+xml;base64,"));
    // No candidates kept, none shown; a failed row has no drawing at all.
    assertThat(items.get(0).get(5).size(), equalTo(0));
    JsonNode failed = items.get(6);
    assertThat(List.of(failed.get(2).asText(), failed.get(3).asText(), failed.get(4).asText()),
        equalTo(List.of("", "", "")));
  }

  @Test
  void thePageFiltersOnDisagreementAndSortsByPrecision() throws Exception {
    String page = new String(ReviewPage.render("/d/", choices(), new StructureDepiction())
        .get(ReviewPage.FILE), StandardCharsets.UTF_8);
    String filters = page.substring(page.indexOf("<form id=\"filters\""),
        page.indexOf("</form>"));
    assertThat(filters, matchesPattern("(?s).*<label[^>]*><input type=\"checkbox\"\\s+"
        + "id=\"only-disagreements\"> readers disagree</label>.*"));
    String headings = page.substring(page.indexOf("<thead>"), page.indexOf("</thead>"));
    assertThat(headings, containsString("<th data-sort=\"precision\""));
    assertThat(headings, containsString(">recommended answer</th>"));
  }
}
