package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.testing.StandInRun;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable as it goes on the DirectRunner at the size users run: two directories of 400 images,
 * a run killed with SIGKILL after half a minute. The DirectRunner hands a step's output on only
 * when its bundle ends, and its bundles grow with the input, so rows staged downstream of the
 * recognising step stayed in memory for minutes; every row recognised more than a checkpoint
 * interval before the kill must be on disk, and the rerun recognises exactly the rest.
 */
class DirectRunnerDurabilityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PER_DIRECTORY = 400;
  private static final int CHECKPOINT_SECONDS = 2;
  /** Long enough for a few hundred rows, far fewer than the DirectRunner's bundles held. */
  private static final int KILL_AFTER_SECONDS = 30;
  private static final int IN_FLIGHT = 4;
  /** Time a flush itself may take (local writes of a few files) beyond the interval. */
  private static final long FLUSH_MARGIN_MS = 1_000;

  @TempDir Path tmp;

  private Process start(LocalRunFolders run, String name) throws IOException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path"), StandInRun.class.getName(),
        "--input=" + run.in + "/", "--output=" + run.out + "/",
        "--checkpointInterval=" + CHECKPOINT_SECONDS, "--progressInterval=10",
        "--secondOpinion=none", "--maxConcurrentInferences=" + IN_FLIGHT);
    return new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile()).start();
  }

  /** Every recognition the stand-in logged: the time each was answered. */
  private static List<Long> recognitions(Path log) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log).stream().filter(l -> !l.isBlank())
        .map(l -> Long.parseLong(l.substring(l.indexOf('\t') + 1))).toList();
  }

  /** Images with a durable row: staged, or in the results of a finished directory. */
  private static Set<String> durable(Path out) throws IOException {
    Set<String> images = new HashSet<>();
    if (!Files.exists(out)) {
      return images;
    }
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String rel = out.relativize(f).toString();
        boolean staged = rel.contains("/_staging/") && rel.endsWith(".jsonl");
        boolean finished = rel.endsWith("/results.jsonl")
            && Files.exists(f.resolveSibling("summary.json"));
        if (staged || finished) {
          String dir = staged ? rel.substring(0, rel.indexOf("/_staging/"))
              : rel.substring(0, rel.lastIndexOf('/'));
          for (String line : Files.readAllLines(f)) {
            if (!line.isBlank()) {
              images.add(dir + "/" + JSON.readTree(line).get("image").asText());
            }
          }
        }
      }
    }
    return images;
  }

  @Test
  void rowsOlderThanACheckpointIntervalSurviveAKillAndTheRerunDoesOnlyTheRest()
      throws Exception {
    LocalRunFolders run = new LocalRunFolders(tmp);
    Path log = tmp.resolve("recognitions.log");
    Path fast = tmp.resolve("fast");
    // 400 ms an image until `fast` exists: about 10 images a second, so the first run is
    // still going when it is killed, and the rerun goes at full speed.
    byte[] image = StandInRecognizer.image("maxWaitMs=400", "waitFor=" + fast, "log=" + log);
    for (String dir : List.of("left", "right")) {
      for (int i = 0; i < PER_DIRECTORY; i++) {
        run.put(dir + "/img-" + i + ".png", image);
      }
    }
    int images = 2 * PER_DIRECTORY;

    Process first = start(run, "first-run");
    first.waitFor(KILL_AFTER_SECONDS, TimeUnit.SECONDS);
    long killedAt = System.currentTimeMillis();
    assertThat("the first run was still running after " + KILL_AFTER_SECONDS + " s: see "
        + tmp.resolve("first-run.log"),
        first.isAlive(), equalTo(true));
    first.destroyForcibly(); // SIGKILL
    assertThat("the killed run ended", first.waitFor(30, TimeUnit.SECONDS), equalTo(true));

    List<Long> done = recognitions(log);
    long older = done.stream()
        .filter(t -> t <= killedAt - CHECKPOINT_SECONDS * 1000L - FLUSH_MARGIN_MS).count();
    int kept = durable(run.out).size();
    System.out.printf("DirectRunner kill after %d s: %d recognised, %d of them more than %d s "
        + "before the kill, %d durable%n", KILL_AFTER_SECONDS, done.size(), older,
        CHECKPOINT_SECONDS, kept);
    assertThat("the kill came before the last image", done.size(), lessThan(images));
    // Fewer would say little: the DirectRunner's bundles held hundreds of rows back.
    assertThat("rows recognised more than one checkpoint interval before the kill", older,
        greaterThanOrEqualTo(100L));
    assertThat("rows recognised more than one checkpoint interval before the kill, less those "
        + "still on their way from the recognizer, are durable", (long) kept,
        greaterThanOrEqualTo(older - IN_FLIGHT));

    Files.createFile(fast);
    Files.delete(log);
    Process second = start(run, "second-run");
    assertThat("the rerun ended: see " + tmp.resolve("second-run.log"),
        second.waitFor(5, TimeUnit.MINUTES), equalTo(true));
    assertThat("the rerun's exit code: see " + tmp.resolve("second-run.log"),
        second.exitValue(), equalTo(0));
    assertThat("the rerun recognised exactly the images without a durable row",
        recognitions(log).size(), equalTo(images - kept));
    for (String dir : List.of("left", "right")) {
      assertThat("rows of " + dir, run.rows(dir).size(), equalTo(PER_DIRECTORY));
    }
  }
}
