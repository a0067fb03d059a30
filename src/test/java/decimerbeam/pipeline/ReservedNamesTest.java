package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.storage.Location;
import decimerbeam.testing.StandInRecognizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input folders named like the pipeline's own files (a directory's _staging, _review, results,
 * summary.json and review.html; the run's _run-summary.json and report.html) are refused, each
 * a FAILED directory naming its name, with nothing read below them nor written for them: their
 * parents and siblings finish as if they were not there, run after run.
 */
class ReservedNamesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private LocalRunFolders run;

  @BeforeEach
  void folders() {
    run = new LocalRunFolders(tmp);
  }

  private PipelineResult.State run(String name, String... extra) throws Exception {
    return RunCommand.run(run.options(extra), StandInRecognizer.factory(name));
  }

  private JsonNode runSummary() throws IOException {
    return run.json("_run-summary.json");
  }

  /** The rows of plates' own results.jsonl by image. */
  private Map<String, JsonNode> platesRows() throws IOException {
    Map<String, JsonNode> rows = new TreeMap<>();
    for (String line : Files.readAllLines(run.out.resolve("plates/results.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      rows.put(n.get("image").asText(), n);
    }
    return rows;
  }

  /** The run summary's failed directories: input URI → error. */
  private Map<String, String> failedDirectories() throws IOException {
    Map<String, String> failed = new TreeMap<>();
    for (JsonNode n : runSummary().get("failedDirectories")) {
      failed.put(n.get("directory").asText(), n.get("error").asText());
    }
    return failed;
  }

  /** The files under {@code dir}, a listing marker's fingerprint shown as {@code <listing>}. */
  private List<String> filesUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
          .map(name -> name.replaceFirst("^_listing-[0-9a-f]{64}$", "_listing-<listing>"))
          .sorted().toList();
    }
  }

  @Test
  void aFolderNamedStagingIsRefusedAndItsParentsRowsStay() throws Exception {
    run.put("a.png", image("smiles=C"));
    run.put("_staging/b.png", image("smiles=N"));

    assertThat(run("reserved-staging-1"), equalTo(PipelineResult.State.DONE));
    assertThat(runSummary().get("directories").get("done").asInt(), equalTo(1));
    assertThat(run("reserved-staging-2"), equalTo(PipelineResult.State.DONE));

    assertThat("the second run recognised an image again",
        StandInRecognizer.stats("reserved-staging-2").calls.get(), equalTo(0));
    assertThat(runSummary().get("directories").get("alreadyDone").asInt(), equalTo(1));
    assertThat(platesRows().keySet(), equalTo(Set.of("a.png")));
    assertThat(failedDirectories().keySet(),
        equalTo(Set.of(run.in + "/_staging/")));
    assertThat(failedDirectories().get(run.in + "/_staging/"), allOf(
        containsString("reserved name '_staging'"), containsString("rename the folder")));
    assertThat("nothing of plates/_staging/ was written", Files.exists(
        run.out.resolve("plates/_staging")), equalTo(false));
    assertThat(filesUnder(run.out.resolve("plates")), equalTo(List.of("_listing-<listing>",
        "_review/page-0001.js", "results.jsonl", "review.html", "summary.json")));
  }

  @Test
  void foldersNamedLikeResultFilesAreRefusedAndRetryAndReprocessKeepTheParent()
      throws Exception {
    run.put("a.png", image("smiles=C"));
    // Input files with reserved names are no images: skipped rows, nothing written for them.
    run.put("results.csv", "not a picture".getBytes(StandardCharsets.UTF_8));
    run.put("_run-summary.json", "{}".getBytes(StandardCharsets.UTF_8));
    List<String> reserved = List.of("results.jsonl", "summary.json", "review.html", "_review");
    for (String name : reserved) {
      run.put(name + "/x.png", image("smiles=N"));
    }
    List<String> platesFiles = List.of("_listing-<listing>", "_review/page-0001.js",
        "results.csv", "results.jsonl", "review.html", "summary.json");

    assertThat(run("reserved-files-1", "--formats=jsonl,csv,review"),
        equalTo(PipelineResult.State.DONE));
    assertRefusedBeside(reserved, 1, 0);
    assertThat(StandInRecognizer.stats("reserved-files-1").calls.get(), equalTo(1));
    assertThat(filesUnder(run.out.resolve("plates")), equalTo(platesFiles));
    JsonNode summary = run.json("plates/summary.json");
    List<String> skipped = new ArrayList<>();
    summary.get("skippedFiles").forEach(n -> skipped.add(n.get("name").asText()));
    assertThat(skipped.stream().sorted().toList(),
        equalTo(List.of("_run-summary.json", "results.csv")));

    assertThat(run("reserved-files-2", "--formats=jsonl,csv,review", "--retryFailures"),
        equalTo(PipelineResult.State.DONE));
    assertRefusedBeside(reserved, 0, 1);
    assertThat(StandInRecognizer.stats("reserved-files-2").calls.get(), equalTo(0));
    assertThat(filesUnder(run.out.resolve("plates")), equalTo(platesFiles));

    assertThat(run("reserved-files-3", "--formats=jsonl,csv,review", "--reprocess"),
        equalTo(PipelineResult.State.DONE));
    assertRefusedBeside(reserved, 1, 0);
    assertThat(StandInRecognizer.stats("reserved-files-3").calls.get(), equalTo(1));
    assertThat(filesUnder(run.out.resolve("plates")), equalTo(platesFiles));
    assertThat(platesRows().get("a.png").get("smiles").asText(), equalTo("C"));
  }

  /** plates finished (or already done) beside one FAILED directory per reserved name. */
  private void assertRefusedBeside(List<String> reserved, int done, int alreadyDone)
      throws IOException {
    JsonNode dirs = runSummary().get("directories");
    assertThat(dirs.get("done").asInt(), equalTo(done));
    assertThat(dirs.get("alreadyDone").asInt(), equalTo(alreadyDone));
    Map<String, String> failed = failedDirectories();
    assertThat(failed.size(), equalTo(reserved.size()));
    for (String name : reserved) {
      assertThat(failed.get(run.in + "/" + name + "/"),
          containsString("reserved name '" + name + "'"));
    }
    assertThat(platesRows().keySet(), equalTo(Set.of("a.png")));
  }

  @Test
  void globMatchesNamedLikeTheRunsOwnFilesAreRefusedAndTheRunSummaryIsWritten()
      throws Exception {
    Path sites = tmp.resolve("sites");
    for (String site : List.of("a", "report.html", "_run-summary.json")) {
      Files.createDirectories(sites.resolve(site));
      Files.write(sites.resolve(site + "/x.png"), image("smiles=C"));
    }
    List<String> args = List.of("--input=" + sites + "/*/", "--output=" + run.out + "/",
        "--progressInterval=0", "--checkpointInterval=1");
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().as(DecimerOptions.class);

    assertThat(RunCommand.run(options, StandInRecognizer.factory("reserved-glob")),
        equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("reserved-glob").calls.get(), equalTo(1));
    assertThat(runSummary().get("directories").get("done").asInt(), equalTo(1));
    Map<String, String> failed = failedDirectories();
    assertThat(failed.get(sites + "/report.html/"), containsString("reserved name"
        + " 'report.html'"));
    assertThat(failed.get(sites + "/_run-summary.json/"), containsString("reserved name"
        + " '_run-summary.json'"));
    assertThat("report.html is the run's report",
        Files.isRegularFile(run.out.resolve("report.html")), equalTo(true));
  }

  @Test
  void aDryRunNamesTheFolderItWouldRefuseAndListsNothingBelowIt() throws Exception {
    run.put("a.png", image("smiles=C"));
    run.put("_Staging/b.png", image("smiles=N"));
    run.put("_Staging/deeper/c.png", image("smiles=O"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long found = DryRun.print(List.of(run.in + "/"), Location.directory(run.out + "/"), null,
        2, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertThat(found, equalTo(1L));
    assertThat(printed, containsString(run.in + "/_Staging/\trefused: reserved name"
        + " '_Staging'"));
    assertThat(printed, not(containsString("deeper")));
  }
}
