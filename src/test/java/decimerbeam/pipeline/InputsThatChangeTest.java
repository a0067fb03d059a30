package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import decimerbeam.testing.StandInRecognizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished directory whose files changed since is reopened by the next run: new and changed
 * files are recognised, rows of removed files dropped, the rest kept without recognition, and
 * its summary says what changed. One whose files did not change is left as it is.
 */
class InputsThatChangeTest {

  private static final FileTime EARLIER = FileTime.fromMillis(1_700_000_000_000L);
  private static final FileTime LATER = FileTime.fromMillis(1_700_000_060_000L);

  @TempDir Path tmp;

  private LocalRunFolders run;

  @BeforeEach
  void folders() {
    run = new LocalRunFolders(tmp);
  }

  /** Puts {@code plates/<relative>} with this modification time. */
  private void put(String relative, byte[] bytes, FileTime modified) throws IOException {
    run.put(relative, bytes);
    Files.setLastModifiedTime(run.in.resolve(relative), modified);
  }

  private PipelineResult.State run(String name) throws Exception {
    return RunCommand.run(run.options("--secondOpinion=none"), StandInRecognizer.factory(name));
  }

  private int recognitions(String name) {
    return StandInRecognizer.stats(name).calls.get();
  }

  private List<String> stagingLeft() throws IOException {
    try (Stream<Path> files = Files.walk(run.out)) {
      return files.map(p -> run.out.relativize(p).toString())
          .filter(p -> p.contains("_staging")).toList();
    }
  }

  @Test
  void aFileAddedToAFinishedDirectoryIsRecognisedByTheNextRun() throws Exception {
    put("d/a.png", image("smiles=CCO"), EARLIER);
    assertThat(run("added-first"), equalTo(PipelineResult.State.DONE));
    put("d/b.png", image("smiles=N"), LATER);

    assertThat(run("added-second"), equalTo(PipelineResult.State.DONE));
    assertThat(recognitions("added-second"), equalTo(1));
    var rows = run.rows("d");
    assertThat(List.copyOf(rows.keySet()), equalTo(List.of("a.png", "b.png")));
    assertThat(rows.get("b.png").get("smiles").asText(), equalTo("N"));
    JsonNode summary = run.json("plates/d/summary.json");
    assertThat(summary.get("images").asInt(), equalTo(2));
    assertThat(summary.get("changedSinceLastRun").toString(),
        equalTo("{\"added\":1,\"changed\":0,\"removed\":0}"));
    assertThat(summary.get("run").get("images").asInt(), equalTo(1));
    assertThat(stagingLeft(), equalTo(List.of()));
  }

  @Test
  void aFileReplacedByAnotherOfTheSameSizeIsRecognisedAgain() throws Exception {
    put("d/a.png", image("smiles=CCO"), EARLIER);
    put("d/b.png", image("smiles=N"), EARLIER);
    assertThat(run("replaced-first"), equalTo(PipelineResult.State.DONE));
    byte[] replacement = image("smiles=OCC");
    assertThat(replacement.length, equalTo(image("smiles=CCO").length));
    put("d/a.png", replacement, LATER);

    assertThat(run("replaced-second"), equalTo(PipelineResult.State.DONE));
    assertThat(recognitions("replaced-second"), equalTo(1));
    var rows = run.rows("d");
    assertThat(rows.get("a.png").get("smiles").asText(), equalTo("OCC"));
    assertThat(rows.get("b.png").get("smiles").asText(), equalTo("N"));
    assertThat(run.json("plates/d/summary.json").get("changedSinceLastRun").toString(),
        equalTo("{\"added\":0,\"changed\":1,\"removed\":0}"));
  }

  @Test
  void theRowOfARemovedFileIsDropped() throws Exception {
    put("d/a.png", image("smiles=CCO"), EARLIER);
    put("d/b.png", image("smiles=N"), EARLIER);
    put("d/notes.txt", image("x"), EARLIER);
    assertThat(run("removed-first"), equalTo(PipelineResult.State.DONE));
    String kept = run.rows("d").get("a.png").toString();
    Files.delete(run.in.resolve("d/b.png"));
    Files.delete(run.in.resolve("d/notes.txt"));

    assertThat(run("removed-second"), equalTo(PipelineResult.State.DONE));
    assertThat(recognitions("removed-second"), equalTo(0));
    var rows = run.rows("d");
    assertThat(List.copyOf(rows.keySet()), equalTo(List.of("a.png")));
    assertThat(rows.get("a.png").toString(), equalTo(kept));
    JsonNode summary = run.json("plates/d/summary.json");
    assertThat(summary.get("images").asInt(), equalTo(1));
    assertThat(summary.get("skippedFiles").size(), equalTo(0));
    assertThat(summary.get("changedSinceLastRun").toString(),
        equalTo("{\"added\":0,\"changed\":0,\"removed\":2}"));
    assertThat(stagingLeft(), equalTo(List.of()));
  }

  @Test
  void anUnchangedFinishedDirectoryIsLeftAsItIsAndItsSummaryRecordsItsFiles()
      throws Exception {
    put("d/a.png", image("smiles=CCO"), EARLIER);
    assertThat(run("unchanged-first"), equalTo(PipelineResult.State.DONE));
    JsonNode listed = run.json("plates/d/summary.json").get("listedFiles");
    assertThat(listed.toString(), equalTo("[{\"name\":\"a.png\",\"size\":"
        + image("smiles=CCO").length + ",\"version\":\"" + EARLIER.toInstant() + "\"}]"));
    String summary = Files.readString(run.out.resolve("plates/d/summary.json"));

    assertThat(run("unchanged-second"), equalTo(PipelineResult.State.DONE));
    assertThat(recognitions("unchanged-second"), equalTo(0));
    assertThat(run.json("_run-summary.json").get("directories").get("alreadyDone").asInt(),
        equalTo(1));
    assertThat(Files.readString(run.out.resolve("plates/d/summary.json")), equalTo(summary));
  }

  @Test
  void aSummaryWrittenBeforeListingsWereRecordedIsTakenAsUnchanged() throws Exception {
    put("d/a.png", image("smiles=CCO"), EARLIER);
    assertThat(run("old-summary-first"), equalTo(PipelineResult.State.DONE));
    // An output folder as runs before listing markers left it.
    try (Stream<Path> files = Files.list(run.out.resolve("plates/d"))) {
      for (Path marker : files.filter(p -> p.getFileName().toString().startsWith("_listing-"))
          .toList()) {
        Files.delete(marker);
      }
    }
    put("d/b.png", image("smiles=N"), LATER);

    assertThat(run("old-summary-second"), equalTo(PipelineResult.State.DONE));
    assertThat(recognitions("old-summary-second"), equalTo(0));
    assertThat(List.copyOf(run.rows("d").keySet()), equalTo(List.of("a.png")));
  }
}
