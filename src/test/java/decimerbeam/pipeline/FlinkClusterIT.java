package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.testing.TestImages;
import decimerbeam.tools.FileTrees;
import decimerbeam.tools.FlinkCluster;
import decimerbeam.worker.RecognizerFactory;
import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * and a TaskManager process): three submissions in a row of the Flink job jar alone to the same
 * TaskManager, none of which leaves threads or a model behind, then a run whose TaskManager is
 * SIGKILLed part-way and replaced (with a stand-in recognizer that holds images until the kill
 * happened); the restart strategy finishes the job with exactly one row per image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STAGED_ROWS = Pattern.compile("-n(\\d+)\\.jsonl$");
  /**
   * Memory a TaskManager may hold after a job beyond what it held after the first: well under
   * one model (about 2,400 MiB resident), but room for the native allocator's arenas, which
   * go on growing for a job or two after a first job of two images.
   */
  private static final long RSS_SLACK_MIB = 1000;
  private Path work;
  private Path data;
  private FlinkCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    work = Path.of("target/flink-cluster-test").toAbsolutePath();
    // Inputs and outputs of an earlier run of this test would be skipped as already done.
    try (var old = Files.list(Files.createDirectories(work))) {
      for (Path p : old.filter(p -> p.getFileName().toString().matches("data|out-.*|.*\\.log"))
          .toList()) {
        FileTrees.deleteTree(p);
      }
    }
    data = Files.createDirectories(work.resolve("data"));
    cluster = FlinkCluster.start(work);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * The job jar that {@code package} builds (target/decimer-beam-*-flink-job.jar): what a user
   * hands to a cluster.
   */
  static Path jobJar() throws IOException {
    try (var files = Files.list(Path.of("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("decimer-beam-.*-flink-job\\.jar"))
          .findFirst().orElseThrow(() -> new AssertionError("no job jar: run mvn verify"))
          .toAbsolutePath();
    }
  }

  /**
   * Submits with the DECIMER model, or with {@code recognizer} when it is not null, and
   * {@code extra} options; the workers get {@code filesToStage} only, besides the cluster's lib/.
   */
  private PipelineResult.State submit(Path input, Path output,
      RecognizerFactory recognizer, String filesToStage, String... extra) throws Exception {
    PipelineOptionsFactory.register(DecimerOptions.class);
    List<String> args = new ArrayList<>(List.of("--input=" + input + "/",
        "--output=" + output + "/", "--runner=FlinkRunner",
        "--flinkMaster=localhost:" + cluster.restPort(),
        "--parallelism=2", "--progressInterval=0", "--checkpointInterval=1",
        "--filesToStage=" + filesToStage));
    args.addAll(List.of(extra));
    DecimerOptions o = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().as(DecimerOptions.class);
    return recognizer == null ? RunCommand.run(o) : RunCommand.run(o, recognizer);
  }

  /** Test images copied into {@code data/<name>/plate/}; returns {@code data/<name>}. */
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

  /**
   * The job jar staged alone, three times in a row on one TaskManager, as a session cluster
   * serves batch jobs: the TaskManager runs each job with only the jar and the cluster's lib/,
   * each gets the right answers, and once each has ended the TaskManager runs none of its
   * threads and holds no more memory than after the first (each job's model is closed at its
   * end, so the next one loads into memory the last one gave back).
   */
  @Test
  @Order(1)
  void theJobJarThreeTimesInARowLeavesNothingOnTheTaskManager() throws Exception {
    String jar = jobJar().toString();
    long tmPid = Long.parseLong(Files.readString(cluster.pidFile("tm-0")).strip());
    List<Long> rss = new ArrayList<>();
    List<List<String>> threads = new ArrayList<>();
    // Two images a job: what a job leaves behind is its model, whatever it read.
    Path in = stage("jobs", List.of("real/decimer-caffeine.png", "generated/gen-002.png"));
    for (String job : List.of("first", "second", "third")) {
      Path out = work.resolve("out-" + job);
      assertThat(job, submit(in, out, null, jar, "--secondOpinion=none"),
          equalTo(PipelineResult.State.DONE));
      Map<String, JsonNode> rows = rows(out.resolve("jobs/plate/results.jsonl"));
      assertThat(rows.get("real_decimer-caffeine.png").get("smiles").asText(),
          equalTo(TestImages.CAFFEINE));
      assertThat(rows.get("generated_gen-002.png").get("smiles").asText(),
          equalTo(TestImages.goldenSmiles("generated/gen-002.png")));

      threads.add(decimerThreads());
      rss.add(residentBytes(tmPid));
      System.out.printf("after the %s job: TaskManager RSS %,d MiB, decimer-* threads %s%n",
          job, rss.get(rss.size() - 1) >> 20, threads.get(threads.size() - 1));
    }
    // Asserted once all three ran, so a failure shows how things grew from job to job.
    assertThat("decimer-* threads on the TaskManager after each job", threads,
        equalTo(List.of(List.of(), List.of(), List.of())));
    for (int i = 1; i < rss.size(); i++) {
      assertThat("TaskManager RSS after job " + (i + 1) + " (MiB), against "
          + (rss.get(0) >> 20) + " MiB after the first", rss.get(i) >> 20,
          lessThanOrEqualTo((rss.get(0) >> 20) + RSS_SLACK_MIB));
    }
  }

  /** The TaskManager's live threads this project names, from Flink's thread dump. */
  private List<String> decimerThreads() throws Exception {
    JsonNode tms = cluster.rest("/taskmanagers").path("taskmanagers");
    assertThat("TaskManagers", tms.size(), equalTo(1));
    JsonNode dump = cluster.rest("/taskmanagers/" + tms.get(0).path("id").asText() + "/thread-dump")
        .path("threadInfos");
    // A dump that lists no threads at all would hide every leftover.
    assertThat("threads in the TaskManager's dump", dump.size(), greaterThanOrEqualTo(10));
    List<String> names = new ArrayList<>();
    for (JsonNode t : dump) {
      String name = t.path("threadName").asText();
      if (name.startsWith("decimer-")) {
        names.add(name);
      }
    }
    return names.stream().sorted().toList();
  }

  /** Resident memory of a process, from /proc. */
  private static long residentBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
      }
    }
    throw new IOException("no VmRSS for process " + pid);
  }

  /**
   * The stand-in recognizer answers the first four images of a TaskManager JVM at once and holds
   * the rest until the test has killed that TaskManager (a release file), so the kill always
   * lands while the job runs; the replacement TaskManager finds the file and finishes. Images
   * whose rows were staged before the kill are not recognised again.
   */
  @Test
  @Order(2)
  void jobSurvivesAKilledTaskManager() throws Exception {
    Path release = work.resolve("release-after-kill");
    Path recognitions = work.resolve("recognitions.log");
    Files.deleteIfExists(release);
    Files.deleteIfExists(recognitions);
    Path dir = Files.createDirectories(data.resolve("recovery").resolve("plate"));
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < 16; i++) {
      String name = String.format("img-%02d.png", i);
      String smiles = "C".repeat(i + 1);
      Files.write(dir.resolve(name), StandInRecognizer.image("smiles=" + smiles, "freeCalls=4",
          "waitFor=" + release, "log=" + recognitions));
      expected.put(name, smiles);
    }
    Path out = work.resolve("out-recovery");
    Path staging = out.resolve("recovery/plate/_staging");
    CompletableFuture<PipelineResult.State> job = CompletableFuture.supplyAsync(() -> {
      try {
        // The stand-in recognizer is a test class: the workers get the test classes too.
        return submit(data.resolve("recovery"), out, StandInRecognizer.factory("recovery"),
            jobJar() + "," + Path.of("target/test-classes").toAbsolutePath());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    String jobId = waitForRunningJob(job);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (stagedRows(staging) < 3 && !job.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    long tmPid = Long.parseLong(Files.readString(cluster.pidFile("tm-0")).strip());
    assertThat(cluster.script("kill-tm", String.valueOf(tmPid)), equalTo(0));
    long durableAtKill = stagedRows(staging);
    assertThat("rows staged before the kill", durableAtKill, greaterThanOrEqualTo(3L));
    assertThat(cluster.script("add-tm"), equalTo(0));
    Files.writeString(release, "killed " + tmPid);

    assertThat(job.get(15, TimeUnit.MINUTES), equalTo(PipelineResult.State.DONE));
    Map<String, JsonNode> rows = rows(out.resolve("recovery/plate/results.jsonl"));
    assertThat(new TreeSet<>(rows.keySet()), equalTo(expected.keySet()));
    expected.forEach((name, smiles) ->
        assertThat(name, rows.get(name).get("smiles").asText(), equalTo(smiles)));
    try (var files = Files.list(out.resolve("recovery/plate"))) {
      // Only the result files, the listing's marker and the review page: no staged, temporary
      // or partial leftovers.
      assertThat(files.map(p -> p.getFileName().toString())
              .map(name -> name.replaceFirst("^_listing-[0-9a-f]{64}$", "_listing-<listing>"))
              .sorted().toList(),
          equalTo(List.of("_listing-<listing>", "_review", "results.jsonl", "review.html",
              "summary.json")));
    }
    Map<String, Integer> times = new TreeMap<>();
    Files.readAllLines(recognitions)
        .forEach(line -> times.merge(line.split("\t")[0], 1, Integer::sum));
    long twice = times.values().stream().filter(n -> n > 1).count();
    long restarts = restarts(jobId);
    System.out.printf("recovery: %d images, %d rows, %d durable at the kill, %d recognised "
        + "twice, %d restart(s)%n", expected.size(), rows.size(), durableAtKill, twice,
        restarts);
    assertThat(times.keySet(), equalTo(new TreeSet<>(expected.values())));
    assertThat(twice, lessThanOrEqualTo(expected.size() - durableAtKill));
    assertThat(restarts, greaterThanOrEqualTo(1L));
  }

  /** Rows in the staged files under {@code staging}, from their names. */
  private static long stagedRows(Path staging) throws IOException {
    if (!Files.exists(staging)) {
      return 0;
    }
    try (var files = Files.walk(staging)) {
      return files.map(p -> p.getFileName().toString())
          .map(STAGED_ROWS::matcher)
          .filter(Matcher::find)
          .mapToLong(m -> Long.parseLong(m.group(1))).sum();
    }
  }

  private String waitForRunningJob(CompletableFuture<?> job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline && !job.isDone()) {
      for (JsonNode j : cluster.rest("/jobs/overview").path("jobs")) {
        if (j.path("state").asText().equals("RUNNING")) {
          return j.path("jid").asText();
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no running job appeared (client done: " + job.isDone() + ")");
  }

  /** Failures the job recovered from: its exception history, one entry per restart. */
  private long restarts(String jobId) throws Exception {
    return cluster.rest("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size();
  }
}
