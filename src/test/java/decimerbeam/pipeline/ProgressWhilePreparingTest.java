package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import decimerbeam.testing.StandInRecognizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run on the DirectRunner whose recognizer takes its time to be created, as a model does
 * on a fresh machine: the progress lines printed meanwhile say the model is being prepared, not
 * that directories are being listed.
 */
class ProgressWhilePreparingTest {

  private static final String NAME = "progress-while-preparing";

  @TempDir Path tmp;

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @Test
  void whileTheRecognizerIsCreatedTheProgressLineSaysTheModelIsPrepared() throws Exception {
    LocalRunFolders run = new LocalRunFolders(tmp);
    run.put("a/1.png", image("smiles=O"));
    run.put("a/2.png", image("smiles=N"));
    Path ready = tmp.resolve("model-ready");
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions options = PipelineOptionsFactory.fromArgs("--input=" + run.in + "/",
        "--output=" + run.out + "/", "--progressInterval=1", "--secondOpinion=none")
        .withValidation().as(DecimerOptions.class);
    StandInRecognizer.Stats stats = StandInRecognizer.stats(NAME);

    PrintStream original = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    ExecutorService launcher = Executors.newSingleThreadExecutor();
    List<String> whileCreating;
    Future<PipelineResult.State> state;
    try {
      state = launcher.submit(() -> RunCommand.run(options,
          StandInRecognizer.factoryReadyWhen(NAME, ready)));
      while (stats.creating.get() == 0) {
        pause(state);
      }
      // The first line after creation began may have been computed just before it: count
      // from the end of that line, so every line that follows was computed during creation.
      int seen = completeText().length();
      while (progressLines(completeText().substring(seen)).isEmpty()) {
        pause(state);
      }
      int from = completeText().length();
      while (progressLines(completeText().substring(from)).size() < 2) {
        pause(state);
      }
      whileCreating = progressLines(completeText().substring(from));
      assertThat("the recognizer is still being created", stats.created.get(), equalTo(0));
      Files.createFile(ready);
      assertThat(state.get(), equalTo(PipelineResult.State.DONE));
    } finally {
      System.setErr(original);
      launcher.shutdownNow();
    }
    System.err.print(stderr.toString(StandardCharsets.UTF_8));

    assertThat(whileCreating, everyItem(containsString("preparing or loading the model")));
    assertThat(run.rows("a").size(), equalTo(2));
  }

  /** What stderr holds up to its last complete line. */
  private String completeText() {
    String all = stderr.toString(StandardCharsets.UTF_8);
    return all.substring(0, all.lastIndexOf('\n') + 1);
  }

  private static List<String> progressLines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("[progress]")) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Waits a little; a run that ended already (it should not have) reports why. */
  private static void pause(Future<PipelineResult.State> run) throws Exception {
    if (run.isDone()) {
      throw new AssertionError("the run ended while its recognizer was being created: "
          + run.get());
    }
    Thread.sleep(50);
  }
}
