package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import decimerbeam.testing.StandInRecognizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A job over one directory keeps every task slot busy: as many of its images are in flight at
 * once as the job has slots. Flink's embedded MiniCluster; the stand-in holds each image until every slot holds
 * one (or 5 s at most, so that a job short of slots still ends), then answers.
 */
class ImagesInFlightOnFlinkIT {

  private static final int IMAGES_PER_SLOT = 4;

  @TempDir Path tmp;

  @Test
  void oneDirectoryKeepsSixteenSlotsBusy() throws Exception {
    DecimerOptions o = options("--parallelism=16", "--maxConcurrentInferences=16");
    assertEverySlotHoldsAnImage(o, "flink-in-flight-16", 16);
  }

  /**
   * The TaskManager layouts of runner-configs/flink, each started by Flink's own local executor
   * from the file (--flinkConfDir; its slots and its parallelism.default, no --parallelism),
   * with managed and network memory as {@link LayoutOnThisMachine} sets them; heap and off-heap
   * sizes are, in one JVM, the slots' accounting, not the JVM's. The stand-in has no decoding
   * loops: the images in flight are the permits, given as the slots (this machine's 2 cores
   * would compute 2).
   */
  @ParameterizedTest
  @CsvSource({"local-2core.yaml, 8", "f16s_v2.yaml, 64", "e16ds_v5.yaml, 64"})
  void oneDirectoryKeepsEverySlotOfATaskManagerLayoutBusy(String file, int slots)
      throws Exception {
    Path conf = LayoutOnThisMachine.write(file, tmp.resolve("conf")).getParent();
    DecimerOptions o = options("--flinkConfDir=" + conf,
        "--maxConcurrentInferences=" + slots);
    assertEverySlotHoldsAnImage(o, "flink-in-flight-" + file, slots);
    assertThat("the job ran at the file's parallelism.default",
        o.as(FlinkPipelineOptions.class).getParallelism(), equalTo(slots));
  }

  private DecimerOptions options(String... extra) {
    List<String> args = new ArrayList<>(List.of("--runner=FlinkRunner", "--flinkMaster=[local]"));
    args.addAll(List.of(extra));
    return new LocalRunFolders(tmp).options(args.toArray(String[]::new));
  }

  private void assertEverySlotHoldsAnImage(DecimerOptions o, String name, int slots)
      throws Exception {
    LocalRunFolders run = new LocalRunFolders(tmp);
    Path allHeld = tmp.resolve("all-slots-hold-an-image");
    int images = slots * IMAGES_PER_SLOT;
    for (int i = 0; i < images; i++) {
      run.put(String.format("one/%04d.png", i),
          image("maxWaitMs=5000", "waitFor=" + allHeld, "smiles=C"));
    }
    StandInRecognizer.Stats stats = StandInRecognizer.stats(name);
    CompletableFuture<PipelineResult.State> job = CompletableFuture.supplyAsync(() -> {
      try {
        return RunCommand.run(o, StandInRecognizer.factory(name));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    while (stats.maxRunning.get() < slots && !job.isDone()) {
      Thread.sleep(20);
    }
    Files.createFile(allHeld);
    assertThat(job.get(), equalTo(PipelineResult.State.DONE));

    // A slot holds one image at a time (recognition blocks its task thread), so a peak of
    // as many images as slots means every subtask of the recognition step held one.
    System.out.printf("images in flight: peak %d of %d slots%n", stats.maxRunning.get(), slots);
    assertThat("peak images in flight, of " + slots + " slots", stats.maxRunning.get(),
        equalTo(slots));
    assertThat("one row per image", run.rows("one").size(), equalTo(images));
    assertThat(run.json("_run-summary.json").get("images").get("total").asInt(),
        equalTo(images));
  }
}
