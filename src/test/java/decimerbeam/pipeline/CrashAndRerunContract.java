package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.testing.StandInRun;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command, killed with SIGKILL part-way and run again, on each storage: the rerun
 * recognises exactly the images without a durable row, and the results have exactly one row per
 * image with that image's answer. The mechanics are the subject, so the recognizer is the
 * stand-in, at a few hundred images (the real model's rows are checked end to end elsewhere).
 */
abstract class CrashAndRerunContract {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern STAGED = Pattern.compile(".*/_staging/[0-9a-f]+/[^/]*-n(\\d+)\\.jsonl");

  @TempDir Path logs;

  /** Starts the storage and returns the input and output roots (ending in '/'). */
  abstract void openStorage() throws Exception;

  abstract void stage(String relative, byte[] bytes) throws IOException;

  abstract String inputRoot();

  abstract String outputRoot();

  /** Environment of the child process (credentials). */
  abstract Map<String, String> environment();

  /** Every file under the output root: path relative to it → content loader. */
  abstract List<String> outputFiles() throws IOException;

  abstract String readOutput(String relative) throws IOException;

  /** The input root's name, as it appears in output paths. */
  String rootName() {
    return "plates";
  }

  /** Images in flight in the killed run: few, so it is still going when it is killed. */
  static final int IN_FLIGHT = 2;

  /** directory → images: 3 directories, 200 images, some with names to escape. */
  static Map<String, List<String>> layout() {
    Map<String, List<String>> dirs = new LinkedHashMap<>();
    dirs.put("big", names("img", 120));
    dirs.put("mid", names("plate 7 #", 60));
    List<String> small = new ArrayList<>(EndToEndContract.NESTED);
    small.addAll(names("ä-", 17));
    dirs.put("small/deeper", small);
    return dirs;
  }

  private static List<String> names(String prefix, int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(String.format("%s%03d.png", prefix, i));
    }
    return names;
  }

  /** Each image's own answer: an alkane as long as its place in the run (1-based). */
  static String answer(int place) {
    return "C".repeat(place);
  }

  private Process start(String name) throws IOException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path"), StandInRun.class.getName(),
        "--input=" + inputRoot(), "--output=" + outputRoot(), "--checkpointInterval=2",
        "--progressInterval=5", "--secondOpinion=none",
        "--maxConcurrentInferences=" + IN_FLIGHT);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
    pb.environment().putAll(environment());
    return pb.start();
  }

  /** Answers the stand-in logged, one line per recognition (across both runs' JVMs). */
  private int recognitions(Path log) throws IOException {
    return Files.exists(log) ? (int) Files.readAllLines(log).stream()
        .filter(l -> !l.isBlank()).count() : 0;
  }

  /** Rows durable in the output: staged rows plus the rows of finished directories. */
  private int durableRows() throws IOException {
    int rows = 0;
    List<String> files = outputFiles();
    for (String f : files) {
      Matcher m = STAGED.matcher("/" + f);
      if (m.matches()) {
        // Staged rows of a directory that is already finished are counted in its results.
        String dir = f.substring(0, f.indexOf("_staging/"));
        rows += files.contains(dir + "summary.json") ? 0 : Integer.parseInt(m.group(1));
      } else if (f.endsWith("results.jsonl")
          && files.contains(f.replace("results.jsonl", "summary.json"))) {
        rows += (int) readOutput(f).lines().filter(l -> !l.isBlank()).count();
      }
    }
    return rows;
  }

  @Test
  void aKilledRunRerunRecognisesOnlyWhatWasNotDurable() throws Exception {
    openStorage();
    Path fast = logs.resolve("fast");
    Path log = logs.resolve("recognitions.log");
    Map<String, List<String>> dirs = layout();
    Map<String, String> expected = new TreeMap<>();
    for (var e : dirs.entrySet()) {
      for (String image : e.getValue()) {
        String smiles = answer(expected.size() + 1);
        expected.put(e.getKey() + "/" + image, smiles);
        // 250 ms an image until `fast` exists: the first run is killed part-way, the rerun
        // goes at full speed.
        stage(e.getKey() + "/" + image, StandInRecognizer.image("smiles=" + smiles,
            "maxWaitMs=250", "waitFor=" + fast, "log=" + log));
      }
    }
    int images = expected.size();

    Process first = start("first-run");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
    int durable = 0;
    while (durable < 20 && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      durable = durableRows();
    }
    assertThat("the first run was still running with >= 20 durable rows: see "
        + logs.resolve("first-run.log"), first.isAlive() && durable >= 20, equalTo(true));
    first.destroyForcibly(); // SIGKILL
    assertThat("the killed run ended, not hung", first.waitFor(30, TimeUnit.SECONDS),
        equalTo(true));
    int durableAtKill = durableRows();
    assertThat("rows durable at the kill", durableAtKill, lessThanOrEqualTo(images - 1));
    int recognizedBefore = recognitions(log);

    Files.createFile(fast);
    Process second = start("second-run");
    assertThat("rerun exit code; see " + logs.resolve("second-run.log"),
        second.waitFor(15, TimeUnit.MINUTES) && second.exitValue() == 0, equalTo(true));

    Map<String, String> smiles = new TreeMap<>();
    for (var e : dirs.entrySet()) {
      String results = readOutput(rootName() + "/" + e.getKey() + "/results.jsonl");
      for (String line : results.split("\n")) {
        if (!line.isBlank()) {
          JsonNode row = JSON.readTree(line);
          assertThat("one row per image", smiles.put(e.getKey() + "/" + row.get("image")
              .asText(), row.get("smiles").asText()), equalTo(null));
        }
      }
    }
    assertThat("each image's row has its own answer", smiles, equalTo(expected));
    JsonNode run = JSON.readTree(readOutput("_run-summary.json"));
    int recognizedAgain = run.get("images").get("total").asInt();
    System.out.printf("crash and rerun (%s): %d images, %d durable at the kill, %d recognised "
        + "by the rerun, %d reused%n", getClass().getSimpleName(), images, durableAtKill,
        recognizedAgain, run.get("images").get("reused").asInt());
    assertThat("the rerun recognised exactly the images without a durable row",
        recognitions(log) - recognizedBefore, equalTo(images - durableAtKill));
    assertThat("the rerun's summary counts what it recognised", recognizedAgain,
        equalTo(images - durableAtKill));
    assertThat("staged files left",
        outputFiles().stream().filter(f -> f.contains("_staging")).toList(), equalTo(List.of()));
  }
}
