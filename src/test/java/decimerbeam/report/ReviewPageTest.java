package decimerbeam.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** review.html's size bound, on synthetic directories as large as the pipeline expects. */
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
      assertThat(m.matches(), equalTo(true));
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
            "recognition took longer than 600 s (--imageTimeout)", "", "", thumbnail));
        continue;
      }
      double confidence = 0.5 + random.nextDouble() / 2;
      List<String> warnings = confidence < 0.8 ? List.of("LOW_CONFIDENCE") : List.of();
      String agreement = i % 10 == 0 ? "DIFFERENT" : "SAME";
      entries.add(new ReviewEntry(name, "RECOGNIZED", structures.get(i % structures.size()),
          confidence, confidence - 0.2, warnings, warnings.isEmpty() ? "high" : "medium", "",
          "", agreement, structures.get((i + 1) % structures.size()), thumbnail));
    }
    Map<String, byte[]> files =
        ReviewPage.render("azfs://account/plates/run-7/", entries, new StructureDepiction());

    byte[] page = files.get(ReviewPage.FILE);
    assertThat(page.length, lessThan(PAGE_BOUND_10K));
    JsonNode rows = pageRows(files);
    assertThat(rows.size(), equalTo(10_000));
    List<List<Integer>> chunks = chunks(files);
    assertThat(chunks.size() >= 10_000 / ReviewPage.ROWS_PER_CHUNK, equalTo(true));
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
    // A thumbnail as large as allowed and two of the largest drawings allowed on every row.
    String thumbnail = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(
        new byte[Thumbnail.MAX_BYTES]);
    String big = "CC1=C2[C@@]([C@]([C@H]([C@@H]3[C@]4([C@H](OC4)C[C@@H]([C@]3(C(=O)[C@@H]2OC"
        + "(=O)C)C)O)OC(=O)C)OC(=O)c5ccccc5)(C[C@@H]1OC(=O)[C@H](O)[C@@H](NC(=O)c6ccccc6)c7"
        + "ccccc7)O)(C)C";
    List<ReviewEntry> entries = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      entries.add(new ReviewEntry("x" + i + ".png", "RECOGNIZED", big, 0.9, 0.8, List.of(),
          "high", "", "", "DIFFERENT", big + "O", thumbnail));
    }
    Map<String, byte[]> files = ReviewPage.render("/d/", entries, new StructureDepiction());
    List<List<Integer>> chunks = chunks(files);
    assertThat(chunks.size() > 3, equalTo(true));
    assertRowsAndChunksAgree(pageRows(files), chunks);
  }

  @Test
  void textCannotCloseThePageScript() throws Exception {
    String hostile = "</script><script>alert(1)</script><!--";
    Map<String, byte[]> files = ReviewPage.render("/d/<b>/", List.of(new ReviewEntry(hostile,
        "FAILED", "", 0, 0, List.of(), "", "UNREADABLE", hostile, "", "", "")),
        new StructureDepiction());
    String page = new String(files.get(ReviewPage.FILE), StandardCharsets.UTF_8);
    assertThat(page, not(containsString(hostile)));
    assertThat(page, not(containsString("/d/<b>/")));
    assertThat(pageRows(files).get(0).get("n").asText(), equalTo(hostile));
  }
}
