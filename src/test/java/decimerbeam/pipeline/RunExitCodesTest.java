package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import decimerbeam.report.RunSummary;
import decimerbeam.testing.StandInRecognizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's exit code and its summary's {@code complete} say whether every directory finished:
 * a script that only checks the code must never take an unfinished run for done.
 */
class RunExitCodesTest {

  @TempDir Path tmp;

  private LocalRunFolders run;

  @BeforeEach
  void folders() {
    run = new LocalRunFolders(tmp);
  }

  private RunCommand.Ending launch(String name) throws Exception {
    return RunCommand.launch(run.options("--secondOpinion=none"),
        StandInRecognizer.factory(name));
  }

  @Test
  void aRunWhoseDirectoriesAllFinishedExitsZero() throws Exception {
    run.put("a/1.png", image("smiles=CCO"));
    run.put("b/1.png", image("smiles=CCN"));
    String printed = CommandLineTest.captureStdout(() -> {
      RunCommand.Ending end = launch("exit-complete");
      assertThat(end.state(), equalTo(PipelineResult.State.DONE));
      assertThat(end.exitCode(), equalTo(ExitCode.COMPLETE));
    });
    assertThat("the run is complete",
        run.json("_run-summary.json").get("complete").asBoolean(), equalTo(true));
    assertThat(printed, containsString("exit code    0:"));
  }

  @Test
  void anImageStorageWillNotGiveLeavesItsDirectoryUnfinishedAndTheCodeSaysSo()
      throws Exception {
    run.put("a/1.png", image("smiles=CCO"));
    run.put("b/1.png", image("smiles=CCN"));
    // Listed as a file, but every read of it fails (EIO), as a blob storage keeps refusing.
    Files.createSymbolicLink(run.in.resolve("b/2.png"), Path.of("/proc/self/mem"));
    String printed = CommandLineTest.captureStdout(() -> {
      RunCommand.Ending end = launch("exit-unfinished");
      assertThat("the pipeline itself ran to its end", end.state(),
          equalTo(PipelineResult.State.DONE));
      assertThat(end.exitCode(), equalTo(ExitCode.UNFINISHED_DIRECTORIES));
    });
    JsonNode summary = run.json("_run-summary.json");
    assertThat("complete, with an unfinished directory", summary.get("complete").asBoolean(),
        equalTo(false));
    assertThat(summary.get("directories").get("done").asInt(), equalTo(1));
    assertThat(summary.get("directories").get("unfinished").asInt(), equalTo(1));
    assertThat(summary.get("unfinishedDirectories").get(0).get("error").asText(),
        containsString("2.png"));
    assertThat(printed, containsString("Run finished, not complete"));
    assertThat(printed, containsString("UNFINISHED"));
    assertThat(printed, containsString("exit code    4:"));
    assertThat("b is not marked done", Files.exists(run.out.resolve("plates/b/summary.json")),
        equalTo(false));

    // Storage gives the image again: the rerun finishes b, and the run is complete.
    Files.delete(run.in.resolve("b/2.png"));
    run.put("b/2.png", image("smiles=CCC"));
    RunCommand.Ending rerun = launch("exit-unfinished");
    assertThat(rerun.exitCode(), equalTo(ExitCode.COMPLETE));
    assertThat(run.rows("b").keySet().toString(), equalTo("[1.png, 2.png]"));
  }

  @Test
  void aFailedDirectoryGivesItsOwnCodeWhileTheOthersFinish() throws Exception {
    run.put("a/1.png", image("smiles=CCO"));
    // A folder named like the pipeline's staging folder is refused: a FAILED directory.
    run.put("a/_staging/2.png", image("smiles=CCN"));
    String printed = CommandLineTest.captureStdout(() -> assertThat(
        launch("exit-failed").exitCode(), equalTo(ExitCode.FAILED_DIRECTORIES)));
    JsonNode summary = run.json("_run-summary.json");
    assertThat("complete, with a failed directory", summary.get("complete").asBoolean(),
        equalTo(false));
    assertThat(summary.get("directories").get("done").asInt(), equalTo(1));
    assertThat(summary.get("directories").get("failed").asInt(), equalTo(1));
    assertThat(printed, containsString("exit code    3:"));
  }

  @Test
  void aSummaryWithFailedDirectoriesOutranksUnfinishedOnes() throws Exception {
    assertThat(ExitCode.of(summary(
        "{\"complete\":false,\"directories\":{\"failed\":1,\"unfinished\":2}}")),
        equalTo(ExitCode.FAILED_DIRECTORIES));
    assertThat(ExitCode.of(summary(
        "{\"complete\":false,\"directories\":{\"failed\":0,\"unfinished\":2}}")),
        equalTo(ExitCode.UNFINISHED_DIRECTORIES));
    assertThat(ExitCode.of(summary(
        "{\"complete\":true,\"directories\":{\"failed\":0,\"unfinished\":0}}")),
        equalTo(ExitCode.COMPLETE));
    assertThat("a summary that does not say it is complete is not taken for complete",
        ExitCode.of(summary("{\"directories\":{\"failed\":0}}")),
        equalTo(ExitCode.RUN_FAILED));
  }

  private static RunSummary summary(String json) throws java.io.IOException {
    return RunSummary.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
