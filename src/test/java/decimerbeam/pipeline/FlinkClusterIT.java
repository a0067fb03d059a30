package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.testing.TestImages;
import decimerbeam.transforms.RecognizerFactory;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real standalone Flink 1.19 session cluster on loopback (tools/flink-cluster.sh: a JobManager
 * and a TaskManager process): two submissions in a row to the same TaskManager, then a run whose
 * TaskManager is SIGKILLed part-way and replaced (with a stand-in recognizer that holds images
 * until the kill happened); the restart strategy finishes the job with exactly one row per image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Path work;
  private Path data;
  private Map<String, String> env;
  private int restPort;

  @BeforeAll
  void startCluster() throws Exception {
    work = Path.of("target/flink-cluster-test").toAbsolutePath();
    data = Files.createDirectories(work.resolve("data"));
    env = new HashMap<>(Map.of("FLINK_WORK", work.toString(),
        "FLINK_REST_PORT", String.valueOf(restPort = freePort()),
        "FLINK_RPC_PORT", String.valueOf(freePort()),
        "FLINK_BLOB_PORT", String.valueOf(freePort())));
    cluster("stop");
    assertThat(cluster("start"), equalTo(0));
  }

  @AfterAll
  void stopCluster() throws Exception {
    cluster("stop");
  }

  private int cluster(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "tools/flink-cluster.sh"));
    cmd.addAll(List.of(args));
    // The script's output goes to a log file, never to this JVM's streams (the runner's channel).
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("cluster-script.log").toFile()));
    pb.environment().putAll(env);
    return pb.start().waitFor();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Classpath to stage: everything but Flink (the cluster's) and TensorFlow (its lib/). */
  private static String filesToStage() {
    List<String> keep = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.contains("/org/apache/flink/") && !e.contains("/org/tensorflow/")
          && !e.contains("/com/google/protobuf/protobuf-java/")) {
        keep.add(e);
      }
    }
    return String.join(",", keep);
  }

  private PipelineResult.State submit(Path input, Path output) throws Exception {
    return submit(input, output, null);
  }

  /** Submits with the DECIMER model, or with {@code recognizer} when it is not null. */
  private PipelineResult.State submit(Path input, Path output, RecognizerFactory recognizer)
      throws Exception {
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions o = PipelineOptionsFactory.fromArgs("--input=" + input + "/",
        "--output=" + output + "/", "--runner=FlinkRunner", "--flinkMaster=localhost:" + restPort,
        "--parallelism=2", "--progressInterval=0", "--filesToStage=" + filesToStage())
        .withValidation().as(DecimerOptions.class);
    return recognizer == null ? RunCommand.run(o) : RunCommand.run(o, recognizer);
  }

  private Path stage(String name, List<String> images) throws IOException {
    Path dir = Files.createDirectories(data.resolve(name).resolve("plate"));
    for (String image : images) {
      Files.write(dir.resolve(image.replace('/', '_')), TestImages.bytes(image));
    }
    return data.resolve(name);
  }

  private static Map<String, JsonNode> rows(Path resultsJsonl) throws IOException {
    Map<String, JsonNode> rows = new HashMap<>();
    for (String line : Files.readAllLines(resultsJsonl)) {
      if (!line.isBlank()) {
        JsonNode n = JSON.readTree(line);
        assertThat("duplicate row " + n.get("image"), rows.put(n.get("image").asText(), n) == null,
            is(true));
      }
    }
    return rows;
  }

  @Test
  @Order(1)
  void twoSubmissionsInARowToOneTaskManager() throws Exception {
    Path in = stage("two-jobs", List.of("real/decimer-caffeine.png", "generated/gen-002.png"));
    for (String job : List.of("first", "second")) {
      Path out = work.resolve("out-" + job);
      assertThat(job, submit(in, out), equalTo(PipelineResult.State.DONE));
      Map<String, JsonNode> rows = rows(out.resolve("two-jobs/plate/results.jsonl"));
      assertThat(rows.get("real_decimer-caffeine.png").get("smiles").asText(),
          equalTo(TestImages.CAFFEINE));
      assertThat(rows.get("generated_gen-002.png").get("smiles").asText(),
          equalTo(TestImages.goldenSmiles("generated/gen-002.png")));
    }
  }

  /**
   * The stand-in recognizer answers the first four images of a TaskManager JVM at once and holds
   * the rest until the test has killed that TaskManager (a release file), so the kill always
   * lands while the job runs; the replacement TaskManager finds the file and finishes.
   */
  @Test
  @Order(2)
  void jobSurvivesAKilledTaskManager() throws Exception {
    Path release = work.resolve("release-after-kill");
    Files.deleteIfExists(release);
    Path dir = Files.createDirectories(data.resolve("recovery").resolve("plate"));
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < 16; i++) {
      String name = String.format("img-%02d.png", i);
      String smiles = "C".repeat(i + 1);
      Files.write(dir.resolve(name), StandInRecognizer.image("smiles=" + smiles, "freeCalls=4",
          "waitFor=" + release));
      expected.put(name, smiles);
    }
    Path out = work.resolve("out-recovery");
    CompletableFuture<PipelineResult.State> job = CompletableFuture.supplyAsync(() -> {
      try {
        return submit(data.resolve("recovery"), out, StandInRecognizer.factory("recovery"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    String jobId = waitForRunningJob(job);
    long doneBeforeKill = waitForRecognized(jobId, 3, job);
    long tmPid = Long.parseLong(Files.readString(work.resolve("run/tm-0.pid")).strip());
    assertThat(cluster("kill-tm", String.valueOf(tmPid)), equalTo(0));
    assertThat(cluster("add-tm"), equalTo(0));
    Files.writeString(release, "killed " + tmPid);

    assertThat(job.get(15, TimeUnit.MINUTES), equalTo(PipelineResult.State.DONE));
    Map<String, JsonNode> rows = rows(out.resolve("recovery/plate/results.jsonl"));
    assertThat(new TreeSet<>(rows.keySet()), equalTo(expected.keySet()));
    expected.forEach((name, smiles) ->
        assertThat(name, rows.get(name).get("smiles").asText(), equalTo(smiles)));
    try (var files = Files.list(out.resolve("recovery/plate"))) {
      // Only the two result files: no temporary or partial leftovers.
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList(),
          equalTo(List.of("results.jsonl", "summary.json")));
    }
    long restarts = restarts(jobId);
    System.out.printf("recovery: %d images, %d rows, %d recognised before the kill, "
        + "%d restart(s)%n", expected.size(), rows.size(), doneBeforeKill, restarts);
    assertThat(restarts, greaterThanOrEqualTo(1L));
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + restPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private String waitForRunningJob(CompletableFuture<?> job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline && !job.isDone()) {
      for (JsonNode j : get("/jobs/overview").path("jobs")) {
        if (j.path("state").asText().equals("RUNNING")) {
          return j.path("jid").asText();
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no running job appeared (client done: " + job.isDone() + ")");
  }

  /** Rows the Recognize step has emitted so far, from the REST API's vertex metrics. */
  private long waitForRecognized(String jobId, long atLeast, CompletableFuture<?> job)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline && !job.isDone()) {
      for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
        if (v.path("name").asText().contains("Recognize images/Recognize")) {
          long n = v.path("metrics").path("write-records").asLong();
          if (n >= atLeast) {
            return n;
          }
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the job recognised fewer than " + atLeast + " images in time");
  }

  /** Failures the job recovered from: its exception history, one entry per restart. */
  private long restarts(String jobId) throws Exception {
    return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size();
  }
}
