package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.testing.StandInRecognizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which directories an input names and where their results go, on local folders with the
 * stand-in recognizer: output folders come from the path below each input's fixed base, so no
 * two directories share one; what cannot be told apart is refused before any work starts.
 */
class InputNamesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path out;

  @BeforeEach
  void output() {
    out = tmp.resolve("results");
  }

  private void put(String relative, String instructions) throws IOException {
    Path p = tmp.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, image(instructions));
  }

  private PipelineResult.State run(String name, String input, String output) throws Exception {
    List<String> args = new ArrayList<>(List.of("--input=" + input, "--output=" + output,
        "--progressInterval=0", "--checkpointInterval=1", "--imageTimeout=5"));
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions o = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().as(DecimerOptions.class);
    return RunCommand.run(o, StandInRecognizer.factory(name));
  }

  private JsonNode runSummary() throws IOException {
    return JSON.readTree(Files.readString(out.resolve("_run-summary.json")));
  }

  @Test
  void globMatchesWriteTheirOwnFoldersAndAMissingSegmentSkipsOnlyItsSibling() throws Exception {
    put("sites/siteA/plates/x.png", "smiles=C");
    put("sites/siteB/plates/x.png", "smiles=N");
    put("sites/siteC/other/x.png", "smiles=O"); // no plates/ here: not an error for A and B

    assertThat(run("names-glob", tmp + "/sites/*/plates/", out + "/"),
        equalTo(PipelineResult.State.DONE));
    assertThat(Files.readString(out.resolve("siteA/plates/results.jsonl")),
        containsString("\"smiles\":\"C\""));
    assertThat(Files.readString(out.resolve("siteB/plates/results.jsonl")),
        containsString("\"smiles\":\"N\""));
    assertThat(runSummary().get("directories").get("done").asInt(), equalTo(2));
  }

  @Test
  void twoDirectoriesForOneOutputFolderAreRefusedNamingBothInputs() throws Exception {
    put("x/plates/a.png", "smiles=C");
    put("y/plates/a.png", "smiles=N");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run("names-clash", tmp + "/x/plates/," + tmp + "/y/*/", out + "/"));
    assertThat(e.getMessage(), allOf(containsString(tmp + "/x/plates/"),
        containsString(tmp + "/y/*/"), containsString("one output folder")));
    assertThat("nothing of the output folder was written", Files.exists(out), equalTo(false));
  }

  @Test
  void anInputThatMatchesNothingIsAnErrorNamingIt() throws Exception {
    put("plates/a/x.png", "smiles=C");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run("names-missing", tmp + "/platse/", out + "/"));
    assertThat(e.getMessage(), allOf(containsString(tmp + "/platse/"),
        containsString("matches no directory")));
    IllegalArgumentException glob = assertThrows(IllegalArgumentException.class,
        () -> run("names-missing-glob", tmp + "/plates/*/nothing/", out + "/"));
    assertThat(glob.getMessage(), containsString(tmp + "/plates/*/nothing/"));
  }

  @Test
  void outputEqualToAnInputIsRefused() throws Exception {
    put("plates/x.png", "smiles=C");
    put("plates/sub/y.png", "smiles=N");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run("names-same", tmp + "/plates/", tmp + "/plates/"));
    assertThat(e.getMessage(), allOf(containsString(tmp + "/plates/"),
        containsString("inside the output")));
  }

  @Test
  void outputInsideAnInputOrMatchedByAGlobIsNeverReadAsInput() throws Exception {
    put("data/plates/x.png", "smiles=C");
    put("data/plates/sub/y.png", "smiles=N");
    out = tmp.resolve("data/results");
    for (String name : List.of("names-inside-1", "names-inside-2")) {
      assertThat(run(name, tmp + "/data/*/", out + "/"), equalTo(PipelineResult.State.DONE));
    }
    assertThat("plates/sub/ under the glob is recognised",
        Files.exists(out.resolve("plates/sub/results.jsonl")), equalTo(true));
    assertThat("results/ was taken for input", Files.exists(out.resolve("results")),
        equalTo(false));
    assertThat(runSummary().get("directories").get("alreadyDone").asInt(), equalTo(2));
  }

  @Test
  void aSymbolicLinkLoopIsFollowedOnce() throws Exception {
    put("plates/a/x.png", "smiles=C");
    Files.createSymbolicLink(tmp.resolve("plates/a/loop"), tmp.resolve("plates"));
    assertThat(run("names-loop", tmp + "/plates/", out + "/"),
        equalTo(PipelineResult.State.DONE));
    assertThat(StandInRecognizer.stats("names-loop").calls.get(), equalTo(1));
    assertThat(runSummary().get("directories").get("done").asInt(), equalTo(1));
  }
}
