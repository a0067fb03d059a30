package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.tools.FileTrees;
import decimerbeam.tools.FlinkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The VMs' TaskManager layouts of runner-configs/flink on a real standalone cluster
 * (tools/flink-cluster.sh: a JobManager and a TaskManager process, as on a VM): each starts with
 * its slots, and a job as wide as its slots over one directory runs on it, every subtask of the
 * recognition step given images. A 64-wide Beam batch job deploys every step's 64 subtasks at
 * once, each with its own shuffle buffers, which a layout's network memory (as on its VM,
 * {@link LayoutOnThisMachine}) has to hold. The stand-in recognizer answers; the job jar and the
 * test classes are staged.
 */
class TaskManagerLayoutsIT {

  private static final int IMAGES_PER_SLOT = 2;
  private static final Path CLUSTER = Path.of("target/layouts-test/cluster").toAbsolutePath();

  @ParameterizedTest
  @CsvSource({"f16s_v2.yaml, 64", "e16ds_v5.yaml, 64"})
  void aJobAsWideAsTheLayoutsSlotsRunsOnItsTaskManager(String file, int slots)
      throws Exception {
    Path work = Path.of("target/layouts-test").resolve(file.replace(".yaml", ""))
        .toAbsolutePath();
    // Without the file's restarts: a job that cannot deploy fails at once.
    List<String> noRestarts = new ArrayList<>();
    for (String line : Files.readAllLines(LayoutOnThisMachine.write(file, work))) {
      if (!line.startsWith("restart-strategy")) {
        noRestarts.add(line);
      }
    }
    noRestarts.add("restart-strategy.type: none");
    Path conf = Files.write(work.resolve("config.yaml"), noRestarts);

    // Rows of an earlier run of this test would make this one skip the directory as done.
    Path runDir = work.resolve("run");
    FileTrees.deleteTree(runDir);
    LocalRunFolders run = new LocalRunFolders(Files.createDirectories(runDir));
    int images = slots * IMAGES_PER_SLOT;
    for (int i = 0; i < images; i++) {
      run.put(String.format("one/%04d.png", i), image("smiles=C"));
    }
    // One cluster directory for both layouts, one after the other: its lib/ is resolved once.
    try (FlinkCluster cluster = FlinkCluster.start(CLUSTER, conf)) {
      assertThat("slots of the TaskManager", cluster.rest("/overview").path("slots-total")
          .asInt(), equalTo(slots));

      PipelineOptionsFactory.register(DecimerOptions.class);
      DecimerOptions o = run.options("--runner=FlinkRunner",
          "--flinkMaster=localhost:" + cluster.restPort(), "--parallelism=" + slots,
          "--maxConcurrentInferences=" + slots, "--secondOpinion=none",
          "--filesToStage=" + FlinkClusterIT.jobJar() + ","
              + Path.of("target/test-classes").toAbsolutePath());
      assertThat(RunCommand.run(o, StandInRecognizer.factory("layouts")),
          equalTo(PipelineResult.State.DONE));
      assertThat("one row per image", run.rows("one").size(), equalTo(images));

      String jid = cluster.rest("/jobs/overview").path("jobs").get(0).path("jid").asText();
      List<Long> recordsPerSubtask = new ArrayList<>();
      for (JsonNode v : cluster.rest("/jobs/" + jid).path("vertices")) {
        if (v.path("name").asText().contains("Recognize images/Recognize")) {
          for (JsonNode s : cluster.rest("/jobs/" + jid + "/vertices/" + v.path("id").asText())
              .path("subtasks")) {
            recordsPerSubtask.add(s.path("metrics").path("read-records").asLong());
          }
        }
      }
      System.out.printf("%s: images per subtask of the recognition step %s%n", file,
          recordsPerSubtask);
      assertThat("subtasks of the recognition step", recordsPerSubtask, hasSize(slots));
      assertThat("subtasks of the recognition step that got no image: " + recordsPerSubtask,
          recordsPerSubtask.stream().filter(n -> n == 0).count(), equalTo(0L));
    }
  }
}
