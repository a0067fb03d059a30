package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import decimerbeam.testing.StandInRecognizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.openscience.cdk.geometry.GeometryUtil;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.io.iterator.IteratingSDFReader;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline as {@code run} starts it, on local folders and the DirectRunner, with a
 * stand-in recognizer in place of the model: rows, summaries, resume and retry in seconds.
 */
class StandInPipelineTest {

  @TempDir Path tmp;

  private LocalRunFolders run;

  @BeforeEach
  void folders() {
    run = new LocalRunFolders(tmp);
  }

  private void put(String relative, byte[] bytes) throws IOException {
    run.put(relative, bytes);
  }

  private Path out() {
    return run.out;
  }

  private PipelineResult.State run(String name, String... extra) throws Exception {
    // The stand-in's images are text, which a second reader can only fail on: off here.
    List<String> args = new ArrayList<>(List.of("--imageTimeout=2", "--secondOpinion=none"));
    args.addAll(List.of(extra));
    return RunCommand.run(run.options(args.toArray(String[]::new)),
        StandInRecognizer.factory(name));
  }

  private Map<String, JsonNode> rows(String dir) throws IOException {
    return run.rows(dir);
  }

  private JsonNode json(String relative) throws IOException {
    return run.json(relative);
  }

  @Test
  void rowsSummariesResumeAndRetry() throws Exception {
    for (int i = 0; i < 12; i++) {
      put(String.format("big/%02d.png", i), image("smiles=C" + "C".repeat(i)));
    }
    put("small/ok.png", image("smiles=O"));
    put("small/broken.png", image("fail=UNREADABLE"));
    put("small/hang.png", image("sleepMs=4000"));
    put("small/notes.txt", image("smiles=N"));
    put("nested/deeper/x.jpg", image("smiles=N"));

    assertThat(run("e2e-first"), equalTo(PipelineResult.State.DONE));
    Map<String, JsonNode> big = rows("big");
    assertThat(big.size(), equalTo(12));
    assertThat(big.get("05.png").get("smiles").asText(), equalTo("CCCCCC"));
    assertThat("05.png is valid", big.get("05.png").get("valid").asBoolean(), equalTo(true));
    Map<String, JsonNode> small = rows("small");
    assertThat(List.copyOf(small.keySet()), equalTo(List.of("broken.png", "hang.png", "ok.png")));
    assertThat(small.get("broken.png").get("errorKind").asText(), equalTo("UNREADABLE"));
    assertThat(small.get("hang.png").get("errorKind").asText(), equalTo("TIMEOUT"));
    assertThat(json("plates/small/summary.json").get("skippedFiles").get(0).get("name").asText(),
        equalTo("notes.txt"));
    assertThat(rows("nested/deeper").get("x.jpg").get("smiles").asText(), equalTo("N"));
    JsonNode run = json("_run-summary.json");
    assertThat(run.get("directories").get("done").asInt(), equalTo(3));
    assertThat(run.get("images").get("total").asInt(), equalTo(16));
    assertThat(run.get("images").get("failed").asInt(), equalTo(2));
    assertThat(run.get("images").get("skippedFiles").asInt(), equalTo(1));

    // Rerun: everything is done, nothing is recognised again.
    String bigBefore = Files.readString(out().resolve("plates/big/results.jsonl"));
    assertThat(run("e2e-second"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("e2e-second").calls.get(), equalTo(0));
    assertThat(json("_run-summary.json").get("directories").get("alreadyDone").asInt(),
        equalTo(3));
    assertThat(Files.readString(out().resolve("plates/big/results.jsonl")), equalTo(bigBefore));

    // Retry: only the two failed images of small/ are redone; the hang now answers in time.
    put("small/hang.png", image("smiles=S"));
    put("small/broken.png", image("smiles=Cl"));
    assertThat(run("e2e-retry", "--retryFailures"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("e2e-retry").calls.get(), equalTo(2));
    Map<String, JsonNode> retried = rows("small");
    assertThat(retried.get("hang.png").get("smiles").asText(), equalTo("S"));
    assertThat(retried.get("broken.png").get("smiles").asText(), equalTo("Cl"));
    assertThat(retried.get("ok.png"), equalTo(small.get("ok.png")));
    assertThat("small/ retried its failures",
        json("plates/small/summary.json").get("retriedFailures").asBoolean(), equalTo(true));
    assertThat(json("_run-summary.json").get("images").get("total").asInt(), equalTo(2));

    // A deleted summary reruns only its directory.
    Files.delete(out().resolve("plates/nested/deeper/summary.json"));
    assertThat(run("e2e-deleted"), equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("e2e-deleted").calls.get(), equalTo(1));
    assertThat(json("_run-summary.json").get("directories").get("done").asInt(), equalTo(1));
  }

  /**
   * The heap running out while an image is recognised ends the run with a failure (on a
   * cluster, the runner retries the bundle) instead of becoming a MODEL_ERROR row: no staged or
   * written row names the image, its directory gets no summary.json, and the next run
   * recognises that directory again.
   */
  @Test
  void heapExhaustionFailsTheRunInsteadOfBecomingARow() throws Exception {
    put("h/fine.png", image("smiles=O"));
    put("h/exhausting.png", image("outOfHeap"));

    Exception failure = assertThrows(Exception.class, () -> run("out-of-heap"));
    assertThat(causes(failure), hasItem(instanceOf(OutOfMemoryError.class)));
    assertThat("h/ is not marked done",
        Files.exists(out().resolve("plates/h/summary.json")), equalTo(false));
    assertThat(linesNaming("exhausting.png"), empty());

    put("h/exhausting.png", image("smiles=N"));
    assertThat(run("out-of-heap-rerun"), equalTo(PipelineResult.State.DONE));
    assertThat(rows("h").get("exhausting.png").get("smiles").asText(), equalTo("N"));
    assertThat(rows("h").get("fine.png").get("smiles").asText(), equalTo("O"));
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
      chain.add(c);
    }
    return chain;
  }

  /**
   * Every line of every file under the output folder that mentions {@code name}, but for the
   * staged listing: it names every file of the directory and holds no row.
   */
  private List<String> linesNaming(String name) throws IOException {
    List<String> found = new ArrayList<>();
    if (!Files.exists(out())) {
      return found;
    }
    try (Stream<Path> files = Files.walk(out())) {
      for (Path f : files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().equals("listing.json")).toList()) {
        new String(Files.readAllBytes(f), StandardCharsets.UTF_8).lines()
            .filter(l -> l.contains(name)).forEach(found::add);
      }
    }
    return found;
  }

  @Test
  void everyRecognizedRowCarriesItsWarningsAndTrust() throws Exception {
    put("w/lead.png", image("smiles=c1ccccc1[Pb]", "confidence=0.99"));
    put("w/sure.png", image("smiles=CCO", "confidence=0.99"));
    put("w/unsure.png", image("smiles=CCO", "confidence=0.6"));
    put("w/salt.png", image("smiles=[Na+].[O-]C(=O)C", "confidence=0.99"));
    put("w/cut.png", image("smiles=CC(", "confidence=0.99", "truncated"));
    put("w/broken.png", image("fail=UNREADABLE"));

    assertThat(run("warnings"), equalTo(PipelineResult.State.DONE));
    Map<String, JsonNode> rows = rows("w");
    assertThat(codes(rows.get("lead.png")), equalTo(List.of("UNUSUAL_ELEMENT")));
    assertThat(rows.get("lead.png").get("trust").asText(), equalTo("low"));
    assertThat(codes(rows.get("sure.png")), equalTo(List.of()));
    // Without a second reader a sure reading is medium: alone, DECIMER is no better on patent
    // drawings (README, "Which answer to believe").
    assertThat(rows.get("sure.png").get("trust").asText(), equalTo("medium"));
    assertThat(rows.get("sure.png").get("chosenFrom").asText(), equalTo("decimer/alone-sure"));
    assertThat(codes(rows.get("unsure.png")), equalTo(List.of("LOW_CONFIDENCE")));
    assertThat(rows.get("unsure.png").get("trust").asText(), equalTo("low"));
    assertThat(codes(rows.get("salt.png")), equalTo(List.of("FRAGMENTS")));
    assertThat(codes(rows.get("cut.png")), equalTo(List.of("INVALID_SMILES", "TRUNCATED")));
    assertThat(codes(rows.get("broken.png")), equalTo(List.of()));
    assertThat(rows.get("broken.png").get("trust").asText(), equalTo(""));

    JsonNode summary = json("plates/w/summary.json");
    assertThat(summary.get("withWarnings").asInt(), equalTo(4));
    assertThat(summary.get("warningsByCode").toString(), equalTo("{\"FRAGMENTS\":1,"
        + "\"INVALID_SMILES\":1,\"LOW_CONFIDENCE\":1,\"TRUNCATED\":1,\"UNUSUAL_ELEMENT\":1}"));
    JsonNode runSummary = json("_run-summary.json");
    assertThat(runSummary.get("images").get("withWarnings").asInt(), equalTo(4));
    assertThat(runSummary.get("warningsByCode"), equalTo(summary.get("warningsByCode")));
  }

  private static List<String> codes(JsonNode row) {
    List<String> codes = new ArrayList<>();
    row.get("warnings").forEach(w -> codes.add(w.asText()));
    return codes;
  }

  @Test
  void reviewPagesAreWrittenByDefaultAndRemovedWhenARunAsksForNone() throws Exception {
    byte[] caffeine = Files.readAllBytes(Path.of("samples/real/decimer-caffeine.png"));
    put("r/caffeine.png", StandInRecognizer.picture(caffeine, "smiles=CN1C=NC2=C1C(=O)N(C)"
        + "C(=O)N2C", "confidence=0.99"));
    put("r/text.png", image("smiles=CCO"));

    assertThat(run("review-on"), equalTo(PipelineResult.State.DONE));
    Path dir = out().resolve("plates/r");
    String page = Files.readString(dir.resolve("review.html"));
    String chunk = Files.readString(dir.resolve("_review/page-0001.js"));
    assertThat("review.html lists caffeine.png", page.contains("\"n\":\"caffeine.png\""),
        equalTo(true));
    assertThat("review.html lists text.png", page.contains("\"n\":\"text.png\""),
        equalTo(true));
    // One thumbnail (the real picture) and two drawings; results.jsonl holds no picture.
    assertThat(chunk.split("data:image/png;base64,", -1).length - 1
        + chunk.split("data:image/jpeg;base64,", -1).length - 1, equalTo(1));
    assertThat(chunk.split("data:image/svg\\+xml;base64,", -1).length - 1, equalTo(2));
    assertThat("results.jsonl holds no picture",
        Files.readString(dir.resolve("results.jsonl")).contains("base64"), equalTo(false));
    String report = Files.readString(out().resolve("report.html"));
    assertThat("report.html links r/'s review page",
        report.contains("href=\"plates/r/review.html\""), equalTo(true));
    JsonNode digest = json("plates/r/summary.json").get("run").get("review");
    assertThat(digest.get("worst").size(), equalTo(2));

    assertThat(run("review-off", "--formats=jsonl", "--reprocess"),
        equalTo(PipelineResult.State.DONE));
    assertThat("review.html is removed", Files.exists(dir.resolve("review.html")),
        equalTo(false));
    assertThat("_review/ is removed", Files.exists(dir.resolve("_review")), equalTo(false));
    assertThat("report.html is removed", Files.exists(out().resolve("report.html")),
        equalTo(false));
    assertThat(rows("r").size(), equalTo(2));
  }

  @Test
  void csvAndSdfAreWrittenBesideResultsJsonlWhenAskedFor() throws Exception {
    String odd = "é, \"quoted\" name.png";
    put("f/" + odd, image("smiles=c1ccccc1[Pb]", "confidence=0.99"));
    put("f/plain.png", image("smiles=OC(=O)C1=CC=CC=C1", "confidence=0.99"));
    put("f/bad.png", image("smiles=C1CC", "confidence=0.99"));
    put("f/broken.png", image("fail=UNREADABLE"));

    assertThat(run("formats", "--formats=jsonl,csv,sdf"), equalTo(PipelineResult.State.DONE));
    List<JsonNode> rows = List.copyOf(rows("f").values());
    List<String> images = rows.stream().map(r -> r.get("image").asText()).sorted().toList();

    // results.csv as a CSV library reads it: one record per row, every field as in the jsonl.
    CsvMapper csv = new CsvMapper();
    List<Map<String, String>> records = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it = csv.readerForMapOf(String.class)
        .with(CsvSchema.emptySchema().withHeader())
        .readValues(Files.readAllBytes(out().resolve("plates/f/results.csv")))) {
      it.forEachRemaining(records::add);
    }
    assertThat(records.size(), equalTo(4));
    for (Map<String, String> record : records) {
      JsonNode row = rows("f").get(record.get("image"));
      for (String field : List.of("directory", "status", "smiles", "canonicalSmiles", "error",
          "trust", "inchiKey")) {
        assertThat(field, record.get(field), equalTo(row.get(field).asText()));
      }
      assertThat(Double.parseDouble(record.get("meanConfidence")),
          equalTo(row.get("meanConfidence").asDouble()));
      assertThat(record.get("warnings"), equalTo(String.join(";", codes(row))));
    }
    assertThat(records.stream().map(r -> r.get("image")).sorted().toList(), equalTo(images));
    assertThat(records.stream().filter(r -> r.get("image").equals(odd)).count(), equalTo(1L));

    // results.sdf as CDK reads it: one record per row; drawn structures have 2D coordinates.
    Map<String, IAtomContainer> molecules = new java.util.TreeMap<>();
    try (IteratingSDFReader sdf = new IteratingSDFReader(
        Files.newInputStream(out().resolve("plates/f/results.sdf")),
        SilentChemObjectBuilder.getInstance())) {
      while (sdf.hasNext()) {
        IAtomContainer mol = sdf.next();
        assertThat(molecules.put(mol.getProperty("image"), mol), equalTo(null));
      }
    }
    assertThat(List.copyOf(molecules.keySet()), equalTo(images));
    IAtomContainer lead = molecules.get(odd);
    assertThat(lead.getAtomCount(), equalTo(7));
    assertThat(lead.getProperty("SMILES"), equalTo("c1ccccc1[Pb]"));
    assertThat(lead.getProperty("warnings"), equalTo("UNUSUAL_ELEMENT"));
    assertThat(lead.getProperty("trust"), equalTo("low"));
    assertThat(Double.parseDouble(lead.getProperty("confidence")),
        equalTo(rows("f").get(odd).get("meanConfidence").asDouble()));
    IAtomContainer plain = molecules.get("plain.png");
    assertThat(plain.getAtomCount(), equalTo(9));
    assertThat(plain.getProperty("trust"), equalTo("medium"));
    assertThat(plain.getProperty("chosenFrom"), equalTo("decimer/alone-sure"));
    for (IAtomContainer drawn : List.of(lead, plain)) {
      assertThat("the molecule has 2D coordinates", GeometryUtil.has2DCoordinates(drawn),
          equalTo(true));
      assertThat("the molecule's bonds have a length",
          GeometryUtil.getBondLengthMedian(drawn) > 0, equalTo(true));
    }
    assertThat(molecules.get("bad.png").getAtomCount(), equalTo(0));
    assertThat(molecules.get("bad.png").getProperty("warnings"), equalTo("INVALID_SMILES"));
    assertThat(molecules.get("broken.png").getAtomCount(), equalTo(0));
    assertThat(molecules.get("broken.png").getProperty("status"), equalTo("FAILED"));

    // Without --formats only results.jsonl: files of a format no longer asked for go.
    assertThat(run("formats-default", "--reprocess"), equalTo(PipelineResult.State.DONE));
    assertThat("results.jsonl is kept",
        Files.exists(out().resolve("plates/f/results.jsonl")), equalTo(true));
    assertThat("results.csv is removed",
        Files.exists(out().resolve("plates/f/results.csv")), equalTo(false));
    assertThat("results.sdf is removed",
        Files.exists(out().resolve("plates/f/results.sdf")), equalTo(false));
  }
}
