package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import decimerbeam.testing.StandInRecognizer;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure that may pass (native memory refused, no room to run in time, storage gave up) is
 * tried again later in the run before it becomes the image's row: a refusal while the worker
 * was busy says nothing about the image, and the row would be final.
 */
class PassingFailuresTest {

  @TempDir java.nio.file.Path tmp;

  private LocalRunFolders run;

  @BeforeEach
  void folders() {
    run = new LocalRunFolders(tmp);
  }

  private PipelineResult.State run(String name) throws Exception {
    return RunCommand.run(run.options("--secondOpinion=none"), StandInRecognizer.factory(name));
  }

  @Test
  void aFailureThatPassesIsTriedAgainAndTheImageIsRecognised() throws Exception {
    for (int i = 0; i < 6; i++) {
      run.put("d/" + i + ".png", image("smiles=C" + "C".repeat(i)));
    }
    run.put("d/refused-once.png", image("failFirst=1", "smiles=CCO"));
    assertThat(run("passing-once"), equalTo(PipelineResult.State.DONE));

    Map<String, JsonNode> rows = run.rows("d");
    assertThat(rows.get("refused-once.png").get("status").asText(), equalTo("RECOGNIZED"));
    assertThat(rows.get("refused-once.png").get("smiles").asText(), equalTo("CCO"));
    assertThat("calls: six images once, the refused one twice",
        StandInRecognizer.stats("passing-once").calls.get(), equalTo(8));
    assertThat("the run is complete once the refused image passed",
        run.json("_run-summary.json").get("complete").asBoolean(), equalTo(true));
  }

  @Test
  void aFailureThatNeverPassesIsTheRowAfterABoundedNumberOfTries() throws Exception {
    run.put("d/fine.png", image("smiles=O"));
    run.put("d/always-refused.png", image("failFirst=1000", "smiles=CCO"));
    assertThat(run("passing-never"), equalTo(PipelineResult.State.DONE));

    JsonNode row = run.rows("d").get("always-refused.png");
    assertThat(row.get("status").asText(), equalTo("FAILED"));
    assertThat(row.get("errorKind").asText(), equalTo("MODEL_ERROR"));
    assertThat(row.get("error").asText(), containsString("native memory refused"));
    assertThat(row.get("error").asText(), containsString("try 3 of 3 in this run"));
    assertThat("calls: the fine image once, the refused one three times",
        StandInRecognizer.stats("passing-never").calls.get(), equalTo(4));
  }
}
