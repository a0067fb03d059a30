package decimerbeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.report.ReviewDigest;
import decimerbeam.report.ReviewedRow;
import decimerbeam.results.DirectoryOutcome;
import decimerbeam.results.ImageResult;
import decimerbeam.storage.Location;
import decimerbeam.work.DirectoryWork;
import decimerbeam.work.RunIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows grouped per directory become its two files; a retry merges with the earlier rows. */
class WriteDirectoryResultsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static ImageResult ok(String dir, String image, String smiles) {
    return new ImageResult(dir, image, ImageResult.Status.RECOGNIZED, smiles, smiles, "", true,
        0.9, 0.8, 2, false, "", "", 10, "m");
  }

  private static ImageResult bad(String dir, String image, String kind) {
    return ImageResult.failed(dir, image, kind, "why", 5, "m");
  }

  /** The run report's digest of one recognised row (confidence 0.9) and a failed one. */
  private static ReviewDigest digest(String image, String smiles, String failedKind) {
    return new ReviewDigest(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
        failedKind == null ? Map.of() : Map.of(failedKind, 1), Map.of(),
        List.of(new ReviewedRow(image, smiles, 0.9, "", List.of())));
  }

  private DirectoryWork work(String name, boolean retry) {
    return new DirectoryWork(Location.directory(tmp.resolve("in/" + name) + "/"),
        Location.directory(tmp.resolve("out/" + name) + "/"), name, retry, false, 3,
        "fingerprint", "key");
  }

  private PCollection<DirectoryOutcome> write(TestPipeline p,
      List<KV<DirectoryWork, ImageResult>> rows) {
    return p.apply(Create.of(rows).withCoder(
            KvCoder.of(RecordCoder.of(DirectoryWork.class), RecordCoder.of(ImageResult.class))))
        .apply(WriteDirectoryResults.of(RunIdentity.start("stand-in")));
  }

  private Map<String, JsonNode> rows(String name) throws Exception {
    Map<String, JsonNode> rows = new TreeMap<>();
    for (String line : Files.readAllLines(tmp.resolve("out/" + name + "/results.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      assertThat("one row per image", rows.put(n.get("image").asText(), n) == null,
          equalTo(true));
    }
    return rows;
  }

  private JsonNode summary(String name) throws Exception {
    return JSON.readTree(Files.readString(
        tmp.resolve("out/" + name + "/summary.json"), StandardCharsets.UTF_8));
  }

  @Test
  void eachDirectoryGetsItsRowsSortedAndASummary() throws Exception {
    DirectoryWork a = work("a", false);
    DirectoryWork b = work("b", false);
    String da = a.directory().uri();
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<DirectoryOutcome> outcomes = write(p, List.of(
        KV.of(a, ok(da, "2.png", "CCO")), KV.of(a, bad(da, "1.png", "UNREADABLE")),
        KV.of(a, ImageResult.skipped(da, "notes.txt", "not an image file name")),
        KV.of(b, ok(b.directory().uri(), "x.png", "N"))));
    PAssert.that(outcomes).containsInAnyOrder(
        new DirectoryOutcome(da, a.output().uri(), DirectoryOutcome.State.DONE, 2, 1, 1, 1, 15,
            "", 0, 0, Map.of(), digest("2.png", "CCO", "UNREADABLE")),
        new DirectoryOutcome(b.directory().uri(), b.output().uri(),
            DirectoryOutcome.State.DONE, 1, 1, 0, 0, 10, "", 0, 0, Map.of(),
            digest("x.png", "N", null)));
    p.run().waitUntilFinish();

    assertThat(List.copyOf(rows("a").keySet()), equalTo(List.of("1.png", "2.png")));
    JsonNode s = summary("a");
    assertThat(s.get("images").asInt(), equalTo(2));
    assertThat(s.get("failuresByKind").get("UNREADABLE").asInt(), equalTo(1));
    assertThat(s.get("skippedFiles").get(0).get("name").asText(), equalTo("notes.txt"));
    assertThat("retriedFailures on a first run", s.get("retriedFailures").asBoolean(),
        equalTo(false));
    assertThat(rows("b").get("x.png").get("smiles").asText(), equalTo("N"));
  }

  @Test
  void aRetryReplacesOnlyTheRedoneRowsAndKeepsTheRestAndTheSkippedFiles() throws Exception {
    DirectoryWork first = work("a", false);
    String d = first.directory().uri();
    TestPipeline p1 = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    write(p1, List.of(KV.of(first, ok(d, "1.png", "CCO")),
        KV.of(first, bad(d, "2.png", "TIMEOUT")), KV.of(first, bad(d, "3.png", "MODEL_ERROR")),
        KV.of(first, ImageResult.skipped(d, "notes.txt", "not an image file name"))));
    p1.run().waitUntilFinish();
    String firstRow = rows("a").get("1.png").toString();

    DirectoryWork retry = work("a", true);
    TestPipeline p2 = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<DirectoryOutcome> outcomes = write(p2, List.of(
        KV.of(retry, ok(d, "2.png", "O")), KV.of(retry, bad(d, "3.png", "MODEL_ERROR"))));
    // The run counts what it redid; the directory's files describe all its rows.
    PAssert.that(outcomes).containsInAnyOrder(new DirectoryOutcome(d, retry.output().uri(),
        DirectoryOutcome.State.DONE, 2, 1, 1, 0, 15, "", 0, 0, Map.of(),
        digest("2.png", "O", "MODEL_ERROR")));
    p2.run().waitUntilFinish();

    Map<String, JsonNode> rows = rows("a");
    assertThat(List.copyOf(rows.keySet()), equalTo(List.of("1.png", "2.png", "3.png")));
    assertThat(rows.get("1.png").toString(), equalTo(firstRow));
    assertThat(rows.get("2.png").get("smiles").asText(), equalTo("O"));
    assertThat(rows.get("3.png").get("errorKind").asText(), equalTo("MODEL_ERROR"));
    JsonNode s = summary("a");
    assertThat(s.get("images").asInt(), equalTo(3));
    assertThat(s.get("recognized").asInt(), equalTo(2));
    assertThat("retriedFailures once failures were retried",
        s.get("retriedFailures").asBoolean(), equalTo(true));
    assertThat(s.get("skippedFiles").size(), equalTo(1));
    try (var files = Files.list(tmp.resolve("out/a"))) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList(),
          equalTo(List.of("results.jsonl", "summary.json")));
    }
  }

  @Test
  void rowsOfFilesNoLongerListedAreNotMergedFromEarlierResults() throws Exception {
    DirectoryWork first = new DirectoryWork(work("a", false).directory(),
        work("a", false).output(), "a", false, false, 2, "listing-with-2", "key");
    String d = first.directory().uri();
    TestPipeline p1 = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    write(p1, List.of(KV.of(first, ok(d, "1.png", "CCO")),
        KV.of(first, bad(d, "2.png", "TIMEOUT"))));
    p1.run().waitUntilFinish();

    // 2.png was removed since: the retry's listing holds 1.png only.
    DirectoryWork retry = new DirectoryWork(first.directory(), first.output(), "a", true, false,
        1, "listing-without-2", "key");
    TestPipeline p2 = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    write(p2, List.of(KV.of(retry, ok(d, "1.png", "CCO"))));
    p2.run().waitUntilFinish();

    assertThat(List.copyOf(rows("a").keySet()), equalTo(List.of("1.png")));
    assertThat(summary("a").get("images").asInt(), equalTo(1));
  }
}
