package decimerbeam.bench;

import com.azure.storage.blob.BlobContainerClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.pipeline.DecimerOptions;
import decimerbeam.pipeline.RunCommand;
import decimerbeam.storage.AzureAccess;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.tools.Azurite;
import decimerbeam.tools.FlinkCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Benchmark 5: the pipeline's own cost with durable staging, at scale. DIRS directories of
 * PER_DIR "images" in Azurite (in memory) go through the whole pipeline on a loopback Flink
 * session cluster (tools/flink-cluster.sh: a JobManager and a TaskManager with 2 slots), with a
 * stand-in recognizer that spends COST_MS per image, so what is measured is the pipeline: wall
 * time against the stand-in's ideal, time from a directory's last recognised image to its
 * summary.json, and the peak RSS of the JobManager and the TaskManager.
 *
 * <pre>DurableAtScale DIRS PER_DIR COST_MS CHECKPOINT_S OUT.jsonl WORK_DIR</pre>
 */
public final class DurableAtScale {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DurableAtScale() {}

  public static void main(String[] args) throws Exception {
    ScaleTree tree = ScaleTree.fromArgs(args);
    int costMs = Integer.parseInt(args[2]);
    int checkpoint = Integer.parseInt(args[3]);
    Path out = Path.of(args[4]);
    Path work = Path.of(args[5]).toAbsolutePath();
    Files.createDirectories(work);
    Path recognitions = work.resolve("recognitions.log");
    Files.deleteIfExists(recognitions);
    try (Azurite azurite = Azurite.start(true, true)) {
      BlobContainerClient results = tree.seed(azurite, "in/", "images",
          (d, i) -> StandInRecognizer.image("sleepMs=" + costMs,
              String.format(Locale.ROOT, "smiles=dir-%04d", d), "log=" + recognitions));

      // The workers read the storage secret from their environment, never from the job graph.
      FlinkCluster cluster = FlinkCluster.start(work.resolve("flink"), null,
          Map.of(AzureAccess.ENV_CONNECTION_STRING, azurite.connectionString()));
      AtomicLong jmPeak = new AtomicLong();
      AtomicLong tmPeak = new AtomicLong();
      Thread sampler = sampler(cluster, jmPeak, tmPeak);
      sampler.start();
      PipelineOptionsFactory.register(DecimerOptions.class);
      DecimerOptions o = PipelineOptionsFactory.fromArgs(
          "--input=azfs://" + Azurite.ACCOUNT + "/scale/in/",
          "--output=azfs://" + Azurite.ACCOUNT + "/scale-out/run/",
          "--azureConnectionString=" + azurite.connectionString(),
          "--runner=FlinkRunner", "--flinkMaster=localhost:" + cluster.restPort(),
          "--parallelism=2", "--maxConcurrentInferences=2", "--progressInterval=0",
          "--checkpointInterval=" + checkpoint, "--filesToStage=" + FlinkCluster.filesToStage())
          .withValidation().as(DecimerOptions.class);
      long logMark = AzuriteAccessLog.mark(azurite.log());
      long start = System.currentTimeMillis();
      PipelineResult.State state;
      try {
        state = RunCommand.run(o, StandInRecognizer.factory("scale"));
      } finally {
        sampler.interrupt();
        cluster.close();
      }
      double wall = (System.currentTimeMillis() - start) / 1000.0;
      Map<String, Long> calls = AzuriteAccessLog.since(azurite.log(), logMark);
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("pipeline ended " + state);
      }

      Map<String, Long> lastImage = new HashMap<>();
      long lines = 0;
      for (String line : Files.readAllLines(recognitions)) {
        String[] f = line.split("\t");
        lastImage.merge(f[0], Long.parseLong(f[1]), Math::max);
        lines++;
      }
      List<Long> delays = new ArrayList<>();
      long lastRecognition = Collections.max(lastImage.values());
      long finishedBeforeLastRecognition = 0;
      for (var e : lastImage.entrySet()) {
        JsonNode s = JSON.readTree(results.getBlobClient("run/in/" + e.getKey() + "/summary.json")
            .downloadContent().toString());
        long writtenAt = Instant.parse(s.get("writtenAt").asText()).toEpochMilli();
        delays.add(writtenAt - e.getValue());
        if (writtenAt < lastRecognition) {
          finishedBeforeLastRecognition++;
        }
      }
      Collections.sort(delays);
      double ideal = (double) tree.blobs() * costMs / 2 / 1000.0;
      ObjectNode row = JSON.createObjectNode();
      row.put("date", java.time.LocalDate.now().toString());
      row.put("directories", tree.directories());
      row.put("images", tree.blobs());
      row.put("recognitions", lines);
      row.put("costMsPerImage", costMs);
      row.put("checkpointSeconds", checkpoint);
      row.put("wallSeconds", wall);
      row.put("idealSeconds", ideal);
      row.put("lastImageToSummaryMedianMs", delays.get(delays.size() / 2));
      row.put("lastImageToSummaryMaxMs", delays.get(delays.size() - 1));
      row.put("directoriesWithSummary", delays.size());
      row.put("directoriesFinishedBeforeTheLastImage", finishedBeforeLastRecognition);
      long images = tree.blobs();
      long allCalls = calls.values().stream().mapToLong(Long::longValue).sum();
      ObjectNode byKind = row.putObject("storageCalls");
      calls.forEach(byKind::put);
      row.put("storageCallsPerImage", (double) allCalls / images);
      // The one read per image recognition needs in any design; the rest is the pipeline's own.
      row.put("storageCallsAddedPerImage", (double) (allCalls - images) / images);
      row.put("jobManagerPeakRssMiB", jmPeak.get());
      row.put("taskManagerPeakRssMiB", tmPeak.get());
      Files.writeString(out, JSON.writeValueAsString(row) + "\n");
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(row));
    }
  }

  /** Samples the RSS of the cluster's JobManager and TaskManager once a second. */
  private static Thread sampler(FlinkCluster cluster, AtomicLong jm, AtomicLong tm) {
    Thread t = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          jm.accumulateAndGet(rssMib(cluster.pidFile("jm")), Math::max);
          tm.accumulateAndGet(rssMib(cluster.pidFile("tm-0")), Math::max);
          Thread.sleep(1000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "rss-sampler");
    t.setDaemon(true);
    return t;
  }

  private static long rssMib(Path pidFile) {
    try {
      String pid = Files.readString(pidFile).strip();
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not started yet, or gone.
    }
    return 0;
  }
}
