package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.testing.StandInRecognizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Flink batch a bundle lasts a whole task: rows still become durable and a directory is
 * still finished while the job runs, on the staging timer. Flink's embedded MiniCluster, two
 * slots, a stand-in recognizer.
 */
class FlinkLocalDurableIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /**
   * Every big image waits (up to 2 s) for the small directory's summary, so the big directory
   * cannot be finished first, whichever order the slots take the images in.
   */
  @Test
  void aSmallDirectoryIsFinishedWhileABigOneIsStillRunning() throws Exception {
    Path in = tmp.resolve("plates");
    Path out = tmp.resolve("results");
    Path smallSummary = out.resolve("plates/small/summary.json");
    Files.createDirectories(in.resolve("small"));
    Files.createDirectories(in.resolve("big"));
    Files.write(in.resolve("small/a.png"), image("smiles=O"));
    Files.write(in.resolve("small/b.png"), image("smiles=N"));
    Path bigLog = tmp.resolve("big-recognized.log");
    for (int i = 0; i < 30; i++) {
      Files.write(in.resolve(String.format("big/%02d.png", i)),
          image("maxWaitMs=2000", "waitFor=" + smallSummary, "sleepMs=100", "smiles=C",
              "log=" + bigLog));
    }
    CompletableFuture<PipelineResult.State> job = CompletableFuture.supplyAsync(() -> {
      try {
        return RunCommand.run(new LocalRunFolders(tmp).options("--runner=FlinkRunner",
            "--flinkMaster=[local]", "--parallelism=2"),
            StandInRecognizer.factory("flink-finish-early"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(smallSummary) && !job.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long bigRecognized = Files.exists(bigLog) ? Files.readAllLines(bigLog).size() : 0;
    boolean jobDone = job.isDone();
    assertThat(job.get(5, TimeUnit.MINUTES), equalTo(PipelineResult.State.DONE));
    assertThat("small/summary.json written while the job ran", Files.exists(smallSummary)
        && !jobDone, equalTo(true));
    // Finished by the staging timer, not by the end-of-run writer: big images were still
    // being recognised.
    assertThat("big images recognised when small was finished: " + bigRecognized,
        bigRecognized < 30, equalTo(true));
    JsonNode run = JSON.readTree(Files.readString(out.resolve("_run-summary.json")));
    assertThat(run.get("directories").get("done").asInt(), equalTo(2));
    assertThat(run.get("images").get("total").asInt(), equalTo(32));
    try (Stream<Path> files = Files.walk(out)) {
      assertThat(files.filter(p -> p.toString().contains("_staging")).toList(),
          equalTo(List.of()));
    }
  }

  /**
   * Directories complete one after another while the job runs, not all in its last seconds:
   * the images of four directories, answered by two slots, are answered directory by
   * directory. With images dealt at random over the run, a directory's last image falls in
   * the last quarter of all answers with probability above 0.99; here at least two of the
   * four directories must be complete before three quarters of the answers.
   */
  @Test
  void directoriesCompleteOneAfterAnotherDuringTheRun() throws Exception {
    Path in = tmp.resolve("plates");
    Path log = tmp.resolve("answers.log");
    int dirs = 4;
    int perDir = 16;
    for (int d = 0; d < dirs; d++) {
      Files.createDirectories(in.resolve("d" + d));
      for (int i = 0; i < perDir; i++) {
        Files.write(in.resolve(String.format("d%d/%02d.png", d, i)),
            image("sleepMs=20", "smiles=" + "C".repeat(d + 1), "log=" + log));
      }
    }
    assertThat(RunCommand.run(new LocalRunFolders(tmp).options("--runner=FlinkRunner",
        "--flinkMaster=[local]", "--parallelism=2"),
        StandInRecognizer.factory("flink-directory-order")), equalTo(PipelineResult.State.DONE));
    List<String> answers = Files.readAllLines(log);
    assertThat(answers.size(), equalTo(dirs * perDir));
    int[] lastAnswer = new int[dirs];
    for (int i = 0; i < answers.size(); i++) {
      lastAnswer[answers.get(i).split("\t")[0].length() - 1] = i;
    }
    long completeEarly = Arrays.stream(lastAnswer)
        .filter(last -> last < answers.size() * 3 / 4).count();
    assertThat("answer index of each directory's last image: "
        + Arrays.toString(lastAnswer), completeEarly >= 2, equalTo(true));
  }
}
