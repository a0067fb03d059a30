package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import decimerbeam.results.ImageResult;
import decimerbeam.results.ResultJson;
import decimerbeam.storage.Location;
import decimerbeam.storage.Stores;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.work.DirectoryWork;
import decimerbeam.work.RunIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable as it goes, with a stand-in recognizer on the DirectRunner: directories finish while
 * others run, rows an interrupted run staged are reused (by the same model only), two runs at
 * once leave one row per image, and no staged file outlives its directory.
 */
class DurableRunTest {

  @TempDir Path tmp;

  private LocalRunFolders run;

  @BeforeEach
  void folders() {
    run = new LocalRunFolders(tmp);
  }

  private Path in() {
    return run.in;
  }

  private Path out() {
    return run.out;
  }

  private void put(String relative, byte[] bytes) throws IOException {
    run.put(relative, bytes);
  }

  private PipelineResult.State run(String name, String... extra) throws Exception {
    return RunCommand.run(run.options(extra), StandInRecognizer.factory(name));
  }

  private Map<String, JsonNode> rows(String dir) throws IOException {
    return run.rows(dir);
  }

  private JsonNode json(String relative) throws IOException {
    return run.json(relative);
  }

  private List<String> stagingLeft() throws IOException {
    try (Stream<Path> files = Files.walk(out())) {
      return files.map(p -> out().relativize(p).toString())
          .filter(p -> p.contains("_staging")).toList();
    }
  }

  /** The staging folder the pipeline uses for {@code dir} with this model identity. */
  private DirectoryWork workOf(String dir, String model) throws IOException {
    return workOf(dir, model, false);
  }

  /** As {@link #workOf(String, String)}, of a {@code --reprocess} run when {@code reprocess}. */
  private DirectoryWork workOf(String dir, String model, boolean reprocess) throws IOException {
    Location d = Location.directory(in().resolve(dir) + "/");
    var files = Stores.forLocation(d, null).listLevel(d).files();
    String fingerprint = DirectoryWork.fingerprint(files);
    return new DirectoryWork(d, Location.directory(out().resolve("plates/" + dir) + "/"),
        "plates/" + dir, false, reprocess, files.size(), fingerprint,
        new RunIdentity("earlier", model).stagingKey(fingerprint, reprocess));
  }

  /** Rows as an interrupted earlier run would have left them staged. */
  private void stageAsEarlierRun(DirectoryWork work, List<ImageResult> rows) throws IOException {
    StringBuilder jsonl = new StringBuilder();
    rows.forEach(r -> jsonl.append(ResultJson.toLine(r)).append('\n'));
    Path folder = Path.of(work.stagingFolder().uri());
    Files.createDirectories(folder);
    Files.writeString(folder.resolve(String.format("%013d-earlier0run1-w1-000000-n%d.jsonl",
        System.currentTimeMillis() - 60_000, rows.size())), jsonl);
  }

  private static ImageResult staged(String dir, String image, String smiles) {
    return new ImageResult(dir, image, ImageResult.Status.RECOGNIZED, smiles, smiles, "", true,
        0.5, 0.5, 1, false, "", "", 7, StandInRecognizer.MODEL_ID);
  }

  /**
   * Two images of the big directory are held until the test releases them, so the big one is
   * certainly still running when the small one must already be finished.
   */
  @Test
  void aSmallDirectoryIsFinishedWhileABigOneIsStillRunning() throws Exception {
    Path release = tmp.resolve("release");
    put("small/a.png", image("smiles=O"));
    put("small/b.png", image("smiles=N"));
    for (int i = 0; i < 22; i++) {
      put(String.format("big/%02d.png", i), image("sleepMs=100", "smiles=C"));
    }
    put("big/held-1.png", image("waitFor=" + release, "smiles=CC"));
    put("big/held-2.png", image("waitFor=" + release, "smiles=CC"));
    CompletableFuture<PipelineResult.State> job = CompletableFuture.supplyAsync(() -> {
      try {
        return run("finish-early", "--maxConcurrentInferences=4");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Path smallSummary = out().resolve("plates/small/summary.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(smallSummary) && System.nanoTime() < deadline && !job.isDone()) {
      Thread.sleep(50);
    }
    assertThat("small/summary.json while the run goes on", Files.exists(smallSummary),
        equalTo(true));
    assertThat(rows("small").get("a.png").get("smiles").asText(), equalTo("O"));
    assertThat("big/ is not marked done while its image is held",
        Files.exists(out().resolve("plates/big/summary.json")), equalTo(false));
    assertThat("the run goes on while big/'s image is held", job.isDone(), equalTo(false));
    Files.writeString(release, "go");

    assertThat(job.get(2, TimeUnit.MINUTES), equalTo(PipelineResult.State.DONE));
    assertThat(rows("big").size(), equalTo(24));
    assertThat(stagingLeft(), equalTo(List.of()));
    JsonNode run = json("_run-summary.json");
    assertThat(run.get("directories").get("done").asInt(), equalTo(2));
    assertThat(run.get("images").get("total").asInt(), equalTo(26));
  }

  @Test
  void rowsStagedByAnInterruptedRunOfTheSameModelAreReusedNotRecognisedAgain()
      throws Exception {
    for (int i = 0; i < 6; i++) {
      put(String.format("d/%d.png", i), image("smiles=C" + "O".repeat(i)));
    }
    put("d/notes.txt", image("x"));
    put("e/x.png", image("smiles=S"));
    DirectoryWork d = workOf("d", "stand-in");
    String dir = d.directory().uri();
    // The earlier run got 0-3 done (2 with another answer than now: its rows are kept), and
    // the non-image file.
    stageAsEarlierRun(d, List.of(staged(dir, "0.png", "C"), staged(dir, "1.png", "EARLIER"),
        staged(dir, "2.png", "COO"), staged(dir, "3.png", "COOO"),
        ImageResult.skipped(dir, "notes.txt", "not an image file name")));
    // Rows of another model for e/ are not taken.
    DirectoryWork e = workOf("e", "another-model");
    stageAsEarlierRun(e, List.of(staged(e.directory().uri(), "x.png", "WRONG")));

    assertThat(run("reuse"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("reuse").calls.get(), equalTo(3));
    Map<String, JsonNode> rows = rows("d");
    assertThat(rows.size(), equalTo(6));
    assertThat(rows.get("1.png").get("smiles").asText(), equalTo("EARLIER"));
    assertThat(rows.get("5.png").get("smiles").asText(), equalTo("COOOOO"));
    assertThat(json("plates/d/summary.json").get("skippedFiles").get(0).get("name").asText(),
        equalTo("notes.txt"));
    assertThat(rows("e").get("x.png").get("smiles").asText(), equalTo("S"));
    JsonNode run = json("_run-summary.json");
    assertThat(run.get("images").get("total").asInt(), equalTo(3));
    assertThat(run.get("images").get("reused").asInt(), equalTo(4));
    assertThat(json("plates/d/summary.json").get("run").get("reused").asInt(), equalTo(4));
    assertThat(stagingLeft(), equalTo(List.of()));
  }

  @Test
  void aDirectoryWhoseRowsWereAllStagedIsFinishedWithoutRecognition() throws Exception {
    put("d/0.png", image("smiles=C"));
    put("d/1.png", image("smiles=N"));
    DirectoryWork d = workOf("d", "stand-in");
    stageAsEarlierRun(d, List.of(staged(d.directory().uri(), "0.png", "C"),
        staged(d.directory().uri(), "1.png", "N")));
    // As if the earlier run crashed after results.jsonl, before summary.json.
    Files.writeString(out().resolve("plates/d/results.jsonl"), "");
    assertThat(run("all-staged"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("all-staged").calls.get(), equalTo(0));
    assertThat(rows("d").keySet().toString(), equalTo("[0.png, 1.png]"));
    assertThat(json("_run-summary.json").get("images").get("reused").asInt(), equalTo(2));
    assertThat(stagingLeft(), equalTo(List.of()));
  }

  @Test
  void reprocessIgnoresStagedLeftoversAndRemovesThem() throws Exception {
    put("d/0.png", image("smiles=C"));
    put("d/1.png", image("smiles=N"));
    DirectoryWork d = workOf("d", "stand-in");
    stageAsEarlierRun(d, List.of(staged(d.directory().uri(), "0.png", "STALE")));
    assertThat(run("reprocess", "--reprocess"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("reprocess").calls.get(), equalTo(2));
    assertThat(rows("d").get("0.png").get("smiles").asText(), equalTo("C"));
    assertThat(stagingLeft(), equalTo(List.of()));
  }

  @Test
  void aStagedRowOfAFileSinceReplacedByAnotherOfTheSameSizeIsNotReused() throws Exception {
    put("d/0.png", image("smiles=CCO"));
    put("d/1.png", image("smiles=N"));
    Files.setLastModifiedTime(in().resolve("d/0.png"), FileTime.fromMillis(1_700_000_000_000L));
    DirectoryWork d = workOf("d", "stand-in");
    stageAsEarlierRun(d, List.of(staged(d.directory().uri(), "0.png", "CCO")));
    // Replaced after the interrupted run: same name, same size, another picture.
    put("d/0.png", image("smiles=OCC"));
    Files.setLastModifiedTime(in().resolve("d/0.png"), FileTime.fromMillis(1_700_000_060_000L));

    assertThat(run("replaced-staged"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("replaced-staged").calls.get(), equalTo(2));
    assertThat(rows("d").get("0.png").get("smiles").asText(), equalTo("OCC"));
    assertThat(stagingLeft(), equalTo(List.of()));
  }

  @Test
  void anInterruptedReprocessIsKeptByAPlainRunAndResumedByTheSameCommand() throws Exception {
    put("d/0.png", image("smiles=C"));
    put("d/1.png", image("smiles=N"));
    put("d/2.png", image("smiles=O"));
    assertThat(run("reprocess-before"), equalTo(PipelineResult.State.DONE));
    String results = Files.readString(out().resolve("plates/d/results.jsonl"));
    // The --reprocess run redid two images, then died.
    DirectoryWork d = workOf("d", "stand-in", true);
    String dir = d.directory().uri();
    stageAsEarlierRun(d, List.of(staged(dir, "0.png", "REDONE"), staged(dir, "1.png", "REDONE")));

    assertThat(run("reprocess-plain"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("reprocess-plain").calls.get(), equalTo(0));
    assertThat(Files.readString(out().resolve("plates/d/results.jsonl")), equalTo(results));
    assertThat(stagingLeft(), not(empty()));

    assertThat(run("reprocess-resumed", "--reprocess"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("reprocess-resumed").calls.get(), equalTo(1));
    Map<String, JsonNode> rows = rows("d");
    assertThat(rows.get("0.png").get("smiles").asText(), equalTo("REDONE"));
    assertThat(rows.get("1.png").get("smiles").asText(), equalTo("REDONE"));
    assertThat(rows.get("2.png").get("smiles").asText(), equalTo("O"));
    assertThat(json("_run-summary.json").get("images").get("reused").asInt(), equalTo(2));
    assertThat(stagingLeft(), equalTo(List.of()));
  }

  @Test
  void aRetryThatCrashedAfterRemovingTheSummaryIsFinishedByThePlainRerun() throws Exception {
    put("d/0.png", image("smiles=C"));
    put("d/1.png", image("fail=UNREADABLE"));
    put("d/2.png", image("smiles=O"));
    assertThat(run("retry-first"), equalTo(PipelineResult.State.DONE));
    String before = Files.readString(out().resolve("plates/d/results.jsonl"));
    // The retry stages the rows it keeps and the row it redid, then dies after removing the
    // old summary: the directory is not done, and its old results.jsonl is stale.
    DirectoryWork d = workOf("d", "stand-in");
    String dir = d.directory().uri();
    stageAsEarlierRun(d, List.of(staged(dir, "0.png", "C"), staged(dir, "2.png", "O"),
        staged(dir, "1.png", "Br")));
    Files.delete(out().resolve("plates/d/summary.json"));
    assertThat(before, containsString("UNREADABLE"));

    assertThat(run("retry-rerun"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("retry-rerun").calls.get(), equalTo(0));
    Map<String, JsonNode> rows = rows("d");
    assertThat(rows.get("1.png").get("smiles").asText(), equalTo("Br"));
    assertThat(rows.get("1.png").get("status").asText(), equalTo("RECOGNIZED"));
    assertThat(json("plates/d/summary.json").get("failed").asInt(), equalTo(0));
    assertThat(stagingLeft(), equalTo(List.of()));
  }

  @Test
  void twoRunsAtOnceLeaveExactlyOneRowPerImage() throws Exception {
    for (String dir : List.of("a", "b", "c")) {
      for (int i = 0; i < 8; i++) {
        put(dir + "/" + i + ".png", image("sleepMs=100", "smiles=" + "C".repeat(i + 1)));
      }
    }
    List<CompletableFuture<PipelineResult.State>> runs = new ArrayList<>();
    for (String name : List.of("together-1", "together-2")) {
      runs.add(CompletableFuture.supplyAsync(() -> {
        try {
          return run(name, "--maxConcurrentInferences=2");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (var r : runs) {
      assertThat(r.get(3, TimeUnit.MINUTES), equalTo(PipelineResult.State.DONE));
    }
    for (String dir : List.of("a", "b", "c")) {
      Map<String, JsonNode> rows = rows(dir);
      assertThat(rows.keySet().size(), equalTo(8));
      assertThat(json("plates/" + dir + "/summary.json").get("images").asInt(), equalTo(8));
    }
    assertThat(StandInRecognizer.stats("together-1").calls.get()
        + StandInRecognizer.stats("together-2").calls.get(), greaterThan(23));
    // A row one run staged just after the other finished its directory may be left there,
    // redundant; the next run removes it and recognises nothing.
    assertThat(run("after-together"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("after-together").calls.get(), equalTo(0));
    for (String dir : List.of("a", "b", "c")) {
      assertThat(rows(dir).keySet().size(), equalTo(8));
    }
    assertThat(stagingLeft(), equalTo(List.of()));
  }

  @Test
  void stagedRowsLeftBesideAFinishedDirectoryAreRemovedByTheNextRun() throws Exception {
    put("d/0.png", image("smiles=C"));
    assertThat(run("leftover-first"), equalTo(PipelineResult.State.DONE));
    String results = Files.readString(out().resolve("plates/d/results.jsonl"));
    // As if the run had died after summary.json, before removing its staged rows.
    DirectoryWork d = workOf("d", "stand-in");
    stageAsEarlierRun(d, List.of(staged(d.directory().uri(), "0.png", "C")));
    assertThat(stagingLeft(), not(empty()));
    assertThat(run("leftover-second"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("leftover-second").calls.get(), equalTo(0));
    assertThat(json("_run-summary.json").get("directories").get("alreadyDone").asInt(),
        equalTo(1));
    assertThat(Files.readString(out().resolve("plates/d/results.jsonl")), equalTo(results));
    assertThat(stagingLeft(), equalTo(List.of()));
  }
}
