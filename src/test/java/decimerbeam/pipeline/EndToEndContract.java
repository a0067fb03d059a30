package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.inference.Agreement;
import decimerbeam.inference.InferenceCapacity;
import decimerbeam.inference.ModelStore;
import decimerbeam.inference.Recognizer;
import decimerbeam.testing.TestImages;
import decimerbeam.worker.SharedRecognizers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pipeline end to end with the real model on the DirectRunner, the same contract for every
 * storage: three directories (16 drawn images; a nested prefix with real images; hostile files)
 * give exactly one row per image with the right SMILES or error kind, per-directory summaries and
 * a run summary; a second run skips everything; a deleted summary reruns only its directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EndToEndContract {

  static final ObjectMapper JSON = new ObjectMapper();
  static final int BIG = 16;
  static final List<String> NESTED = List.of("decimer-DECIMER_test_1.png",
      "decimer-github_issue_test.png", "molscribe-example2.png");

  private Recognizer pinned;

  /** Starts or creates the storage, before anything is staged. */
  abstract void openStorage() throws Exception;

  /** Puts {@code bytes} at {@code relative} (e.g. "big/gen-001.png") under the input root. */
  abstract void stage(String relative, byte[] bytes) throws IOException;

  /** The input root URI, ending in '/'. */
  abstract String inputRoot();

  /** The output root URI, ending in '/'. */
  abstract String outputRoot();

  /** Storage-specific options (credentials). */
  abstract List<String> storageArgs();

  /** Text of an output file, relative to the output root. */
  abstract String readOutput(String relative) throws IOException;

  abstract boolean outputExists(String relative) throws IOException;

  abstract void deleteOutput(String relative) throws IOException;

  /** The runner; the DirectRunner unless a subclass says otherwise. */
  List<String> runnerArgs() {
    return List.of();
  }

  /** The name of the input root as it appears in output paths. */
  abstract String rootName();

  @BeforeAll
  void stageImagesAndPinModel() throws Exception {
    openStorage();
    List<String> generated = generatedNames();
    for (String name : generated) {
      stage("big/" + name, TestImages.bytes("generated/" + name));
    }
    for (String name : NESTED) {
      stage("nested/deeper/" + name, TestImages.bytes("real/" + name));
    }
    for (Map.Entry<String, byte[]> e : TestImages.hostile().entrySet()) {
      stage("hostile/" + e.getKey(), e.getValue());
    }
    // Keep one holder on the shared engine, with the settings the pipeline's defaults and this
    // runner's options resolve to in this JVM, so consecutive runs reuse the loaded model.
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions defaults = PipelineOptionsFactory.fromArgs(runnerArgs().toArray(String[]::new))
        .as(DecimerOptions.class);
    int permits = DecimerPipeline.capacityHere(defaults,
        DecimerPipeline.decimerModel(defaults)).permits();
    pinned = SharedRecognizers.acquire(DecimerPipeline.decimerModel(defaults), permits);
  }

  @AfterAll
  void unpin() {
    if (pinned != null && SharedRecognizers.release(pinned)) {
      pinned.close();
    }
  }

  static List<String> generatedNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < BIG; i++) {
      String png = String.format("gen-%03d.png", i);
      names.add(TestImages.file("generated/" + png).toFile().exists() ? png
          : String.format("gen-%03d.jpg", i));
    }
    return names;
  }

  PipelineResult.State runPipeline(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--input=" + inputRoot(),
        "--output=" + outputRoot(), "--progressInterval=5"));
    args.addAll(storageArgs());
    args.addAll(runnerArgs());
    args.addAll(List.of(extra));
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().as(DecimerOptions.class);
    return RunCommand.run(options);
  }

  Map<String, JsonNode> rows(String dir) throws IOException {
    Map<String, JsonNode> rows = new TreeMap<>();
    for (String line : readOutput(rootName() + "/" + dir + "/results.jsonl").split("\n")) {
      if (!line.isBlank()) {
        JsonNode n = JSON.readTree(line);
        JsonNode previous = rows.put(n.get("image").asText(), n);
        assertThat("duplicate row for " + n.get("image"), previous == null, is(true));
      }
    }
    return rows;
  }

  JsonNode summary(String dir) throws IOException {
    return JSON.readTree(readOutput(rootName() + "/" + dir + "/summary.json"));
  }

  JsonNode runSummary() throws IOException {
    return JSON.readTree(readOutput("_run-summary.json"));
  }

  /**
   * The default second reader (MolVec) read every recognised image: its agreement follows from
   * the two InChIKeys, and on generated drawings it agrees often (benchmark 6: 56 %).
   */
  private static void assertSecondOpinionOnEveryRow(Map<String, JsonNode> rows) {
    int same = 0;
    for (Map.Entry<String, JsonNode> e : rows.entrySet()) {
      JsonNode r = e.getValue();
      assertThat(e.getKey(), r.get("secondOpinion").asText().startsWith("molvec-"), is(true));
      String expected = Agreement.of(r.get("inchiKey").asText(),
          r.get("secondInchiKey").asText()).name();
      assertThat(e.getKey(), r.get("agreement").asText(), equalTo(expected));
      if (expected.equals("SAME")) {
        same++;
        assertThat(e.getKey(), r.get("bestSmiles").asText(), equalTo(r.get("smiles").asText()));
      }
    }
    assertThat("rows where MolVec agrees", same, greaterThanOrEqualTo(rows.size() / 4));
  }

  @Test
  @Order(1)
  void everyImageHasExactlyOneRowWithTheRightAnswer() throws Exception {
    assertThat(runPipeline(), equalTo(PipelineResult.State.DONE));

    Map<String, JsonNode> big = rows("big");
    assertThat(big.keySet(), equalTo(new TreeSet<>(generatedNames())));
    for (Map.Entry<String, JsonNode> e : big.entrySet()) {
      assertThat(e.getKey(), e.getValue().get("smiles").asText(),
          equalTo(TestImages.goldenSmiles("generated/" + e.getKey())));
      assertThat(e.getValue().get("modelId").asText(), equalTo(ModelStore.PRINTED));
    }
    assertSecondOpinionOnEveryRow(big);

    Map<String, JsonNode> nested = rows("nested/deeper");
    assertThat(nested.keySet(), equalTo(new TreeSet<>(NESTED)));
    for (String name : NESTED) {
      assertThat(name, nested.get(name).get("smiles").asText(),
          equalTo(TestImages.goldenSmiles("real/" + name)));
    }

    Map<String, JsonNode> hostile = rows("hostile");
    Map<String, String> kinds = TestImages.hostileKinds();
    assertThat(hostile.keySet(), equalTo(new TreeSet<>(kinds.keySet())));
    for (Map.Entry<String, String> e : kinds.entrySet()) {
      JsonNode row = hostile.get(e.getKey());
      assertThat(e.getKey(), row.get("errorKind").asText(), equalTo(e.getValue()));
      assertThat(e.getKey(), row.get("status").asText(),
          equalTo(e.getValue().isEmpty() ? "RECOGNIZED" : "FAILED"));
    }
    assertThat(hostile.get("caffeine copy ü 名前.png").get("smiles").asText(),
        equalTo(TestImages.CAFFEINE));
    assertThat("the hostile-named caffeine is a valid structure",
        hostile.get("caffeine copy ü 名前.png").get("valid").asBoolean(), is(true));
    assertThat(hostile.get("caffeine copy ü 名前.png").get("inchiKey").asText(),
        equalTo("RYYVLZVUVIJVGH-UHFFFAOYSA-N"));
    assertThat(hostile.get("cmyk-caffeine.jpg").get("smiles").asText(),
        equalTo(TestImages.CAFFEINE));

    JsonNode hs = summary("hostile");
    assertThat(hs.get("images").asInt(), equalTo(7));
    assertThat(hs.get("recognized").asInt(), equalTo(3));
    assertThat(hs.get("failed").asInt(), equalTo(4));
    Map<String, Integer> byKind = new LinkedHashMap<>();
    hs.get("failuresByKind").fields().forEachRemaining(f -> byKind.put(f.getKey(),
        f.getValue().asInt()));
    assertThat(byKind, equalTo(Map.of("UNREADABLE", 2, "UNSUPPORTED_FORMAT", 1, "TOO_LARGE", 1)));
    assertThat(hs.get("skippedFiles").get(0).get("name").asText(), equalTo("notes.txt"));
    assertThat(summary("big").get("recognized").asInt(), equalTo(BIG));

    JsonNode run = runSummary();
    System.out.println("run summary: " + run);
    assertThat(run.get("directories").get("done").asInt(), equalTo(3));
    assertThat(run.get("images").get("total").asInt(), equalTo(BIG + NESTED.size() + 7));
    assertThat(run.get("images").get("failed").asInt(), equalTo(4));
    assertThat(run.get("images").get("skippedFiles").asInt(), equalTo(1));
  }

  @Test
  @Order(2)
  void secondRunSkipsFinishedDirectoriesWithoutDuplicates() throws Exception {
    String bigBefore = readOutput(rootName() + "/big/results.jsonl");
    String summaryBefore = readOutput(rootName() + "/big/summary.json");
    assertThat(runPipeline(), equalTo(PipelineResult.State.DONE));
    assertThat(readOutput(rootName() + "/big/results.jsonl"), equalTo(bigBefore));
    assertThat(readOutput(rootName() + "/big/summary.json"), equalTo(summaryBefore));
    JsonNode run = runSummary();
    assertThat(run.get("directories").get("alreadyDone").asInt(), equalTo(3));
    assertThat(run.get("directories").get("done").asInt(), equalTo(0));
    assertThat(run.get("images").get("total").asInt(), equalTo(0));
  }

  @Test
  @Order(3)
  void deletedSummaryRerunsOnlyThatDirectory() throws Exception {
    String bigSummary = readOutput(rootName() + "/big/summary.json");
    deleteOutput(rootName() + "/hostile/summary.json");
    assertThat("hostile/summary.json is deleted",
        outputExists(rootName() + "/hostile/summary.json"), is(false));
    assertThat(runPipeline(), equalTo(PipelineResult.State.DONE));
    JsonNode run = runSummary();
    assertThat(run.get("directories").get("done").asInt(), equalTo(1));
    assertThat(run.get("directories").get("alreadyDone").asInt(), equalTo(2));
    assertThat(run.get("images").get("total").asInt(), equalTo(7));
    assertThat(readOutput(rootName() + "/big/summary.json"), equalTo(bigSummary));
    assertThat(rows("hostile").size(), equalTo(7));
  }

  @Test
  @Order(4)
  void retryFailuresRedoesOnlyFailedImagesAndKeepsOneRowEach() throws Exception {
    Map<String, JsonNode> before = rows("hostile");
    assertThat(runPipeline("--retryFailures"), equalTo(PipelineResult.State.DONE));
    JsonNode run = runSummary();
    // The hostile directory has 4 failed images; the other two directories have none.
    assertThat(run.get("images").get("total").asInt(), equalTo(4));
    Map<String, JsonNode> after = rows("hostile");
    assertThat(after.keySet(), equalTo(before.keySet()));
    for (String name : Set.of("cmyk-caffeine.jpg", "deep16.png", "caffeine copy ü 名前.png")) {
      assertThat(name, after.get(name), equalTo(before.get(name)));
    }
    assertThat("hostile/ retried its failures",
        summary("hostile").get("retriedFailures").asBoolean(), is(true));
    assertThat(summary("hostile").get("images").asInt(), equalTo(7));
    assertThat(summary("hostile").get("skippedFiles").size(), equalTo(1));
  }
}
