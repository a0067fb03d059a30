package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.inference.TestModel;
import decimerbeam.testing.TestImages;
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
 * The command as users run it, killed with SIGKILL part-way and run again, with the real model:
 * the rerun recognises only the images without a durable row, and the results have exactly one
 * row per image with the SMILES an uninterrupted run gives (the parity golden file).
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

  /** directory → images (3 directories, 42 images: real and drawn). */
  static Map<String, List<String>> layout() {
    List<String> generated = EndToEndContract.generatedNames();
    Map<String, List<String>> dirs = new LinkedHashMap<>();
    dirs.put("big", generated.subList(0, 20));
    dirs.put("mid", generated.subList(20, 34));
    List<String> small = new ArrayList<>(EndToEndContract.NESTED);
    small.addAll(generated.subList(34, 39));
    dirs.put("small/deeper", small);
    return dirs;
  }

  private static String resource(String image) {
    return (image.startsWith("gen-") ? "generated/" : "real/") + image;
  }

  private Process start(String name) throws IOException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path"), "decimerbeam.pipeline.Main",
        "--input=" + inputRoot(), "--output=" + outputRoot(), "--checkpointInterval=2",
        "--progressInterval=5");
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
    pb.environment().putAll(environment());
    return pb.start();
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
    // Prepared here, once, so the kill lands on recognition, not on a first-use preparation.
    TestModel.prepared();
    openStorage();
    Map<String, List<String>> dirs = layout();
    int images = 0;
    for (var e : dirs.entrySet()) {
      for (String image : e.getValue()) {
        stage(e.getKey() + "/" + image, TestImages.bytes(resource(image)));
        images++;
      }
    }

    Process first = start("first-run");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
    int durable = 0;
    while (durable < 10 && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      durable = durableRows();
    }
    assertThat("the first run was still running with >= 10 durable rows: see "
        + logs.resolve("first-run.log"), first.isAlive() && durable >= 10, equalTo(true));
    first.destroyForcibly(); // SIGKILL
    assertThat("the killed run ended, not hung", first.waitFor(30, TimeUnit.SECONDS),
        equalTo(true));
    int durableAtKill = durableRows();
    assertThat(durableAtKill, lessThanOrEqualTo(images - 1));

    Process second = start("second-run");
    assertThat("rerun exit code; see " + logs.resolve("second-run.log"),
        second.waitFor(15, TimeUnit.MINUTES) && second.exitValue() == 0, equalTo(true));

    Map<String, String> smiles = new TreeMap<>();
    for (var e : dirs.entrySet()) {
      for (String line : readOutput(rootName() + "/" + e.getKey() + "/results.jsonl").split("\n")) {
        if (!line.isBlank()) {
          JsonNode row = JSON.readTree(line);
          assertThat("one row per image", smiles.put(e.getKey() + "/" + row.get("image")
              .asText(), row.get("smiles").asText()) == null, equalTo(true));
        }
      }
      for (String image : e.getValue()) {
        assertThat(image, smiles.get(e.getKey() + "/" + image),
            equalTo(TestImages.goldenSmiles(resource(image))));
      }
    }
    assertThat(smiles.size(), equalTo(images));
    JsonNode run = JSON.readTree(readOutput("_run-summary.json"));
    int recognizedAgain = run.get("images").get("total").asInt();
    System.out.printf("crash and rerun (%s): %d images, %d durable at the kill, %d recognised "
        + "by the rerun, %d reused%n", getClass().getSimpleName(), images, durableAtKill,
        recognizedAgain, run.get("images").get("reused").asInt());
    assertThat(recognizedAgain, lessThanOrEqualTo(images - durableAtKill));
    assertThat(recognizedAgain, greaterThanOrEqualTo(1));
    assertThat(outputFiles().stream().filter(f -> f.contains("_staging")).toList(),
        equalTo(List.of()));
  }
}
