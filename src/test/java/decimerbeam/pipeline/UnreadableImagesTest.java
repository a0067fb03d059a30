package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import decimerbeam.testing.StandInRecognizer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image storage never gives (a 403, a blob in the archive tier) keeps its directory
 * unfinished only for a while: after three runs that could not read it, or at once with
 * --acceptUnreadable, its READ_ERROR row is final and the directory finishes.
 */
class UnreadableImagesTest {

  @TempDir Path tmp;

  private LocalRunFolders run;

  @BeforeEach
  void folders() throws Exception {
    run = new LocalRunFolders(tmp);
    run.put("d/1.png", image("smiles=CCO"));
    // Listed as a file, but every read of it fails (EIO), as a blob storage keeps refusing.
    Files.createSymbolicLink(run.in.resolve("d/2.png"), Path.of("/proc/self/mem"));
  }

  private ExitCode launch(String name, String... extra) throws Exception {
    String[] args = new String[extra.length + 1];
    args[0] = "--secondOpinion=none";
    System.arraycopy(extra, 0, args, 1, extra.length);
    return RunCommand.launch(run.options(args), StandInRecognizer.factory(name)).exitCode();
  }

  @Test
  void anImageNoRunCouldReadInThreeRunsBecomesAFinalRow() throws Exception {
    assertThat("first run", launch("unreadable-runs"), equalTo(ExitCode.UNFINISHED_DIRECTORIES));
    assertThat("second run", launch("unreadable-runs"),
        equalTo(ExitCode.UNFINISHED_DIRECTORIES));
    assertThat("d is not done after two runs",
        Files.exists(run.out.resolve("plates/d/summary.json")), equalTo(false));
    assertThat("third run", launch("unreadable-runs"), equalTo(ExitCode.COMPLETE));
    JsonNode unread = run.rows("d").get("2.png");
    assertThat(unread.get("status").asText(), equalTo("FAILED"));
    assertThat(unread.get("errorKind").asText(), equalTo("READ_ERROR"));
    assertThat(run.rows("d").get("1.png").get("smiles").asText(), equalTo("CCO"));
  }

  @Test
  void acceptUnreadableFinishesTheDirectoryInOneRun() throws Exception {
    assertThat(launch("unreadable-accepted", "--acceptUnreadable"),
        equalTo(ExitCode.COMPLETE));
    assertThat(run.rows("d").get("2.png").get("errorKind").asText(), equalTo("READ_ERROR"));
    assertThat(run.json("plates/d/summary.json").get("failed").asInt(), equalTo(1));
  }
}
