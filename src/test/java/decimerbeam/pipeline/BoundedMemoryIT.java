package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.inference.TestModel;
import decimerbeam.testing.HugeImages;
import decimerbeam.testing.TestImages;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Very large images through {@code predict} and the pipeline in a JVM with a 1 GiB heap, as a
 * worker has: the JVM never dies, each huge image is recognised or a TOO_LARGE row that says
 * why, and the ordinary images of the same run are recognised.
 */
class BoundedMemoryIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Pillow's limit, so that memory, not the pixel count, is what decides. */
  private static final String PILLOW_MAX_PIXELS = "--maxPixels=178956970";

  @TempDir Path tmp;

  @BeforeAll
  static void model() {
    TestModel.prepared();
  }

  /** Name → bytes: 24000x200, 200x24000, 13000x13000 as PNG and JPEG, a 60 MB PNG. */
  private static Map<String, byte[]> hugeImages() throws IOException {
    Map<String, byte[]> images = new LinkedHashMap<>();
    images.put("wide.png", HugeImages.png(24000, 200));
    images.put("tall.png", HugeImages.png(200, 24000));
    images.put("wide.jpg", HugeImages.jpeg(24000, 200));
    images.put("tall.jpg", HugeImages.jpeg(200, 24000));
    images.put("square.png", HugeImages.png(13000, 13000));
    images.put("square.jpg", HugeImages.jpegClaiming(13000, 13000));
    images.put("padded-60mb.png", HugeImages.paddedPng(
        TestImages.bytes("real/decimer-caffeine.png"), 60_000_000));
    return images;
  }

  private Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        "decimerbeam.pipeline.Main"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static int finish(Process p, Path log) throws Exception {
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("no end after 15 minutes; log: " + log);
    }
    String out = Files.readString(log);
    assertThat("the JVM ran out of heap: " + log, out, not(containsString("OutOfMemoryError")));
    return p.exitValue();
  }

  @Test
  void predictWithAOneGigabyteHeapRecognisesOrRefusesEachHugeImage() throws Exception {
    Map<String, byte[]> images = hugeImages();
    images.put("caffeine.png", TestImages.bytes("real/decimer-caffeine.png"));
    List<String> args = new ArrayList<>(List.of("predict", "--json", PILLOW_MAX_PIXELS));
    for (Map.Entry<String, byte[]> e : images.entrySet()) {
      args.add(Files.write(tmp.resolve(e.getKey()), e.getValue()).toString());
    }
    Path log = tmp.resolve("predict.log");
    // 1: some images failed (the refused ones); a crash or an OOM exit (3) is neither.
    assertThat(finish(start(log, args.toArray(String[]::new)), log), equalTo(1));
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith("{")) {
        JsonNode n = JSON.readTree(line);
        rows.put(Path.of(n.get("image").asText()).getFileName().toString(), n);
      }
    }
    assertThat(rows.keySet(), equalTo(images.keySet()));
    assertThat(rows.get("caffeine.png").path("smiles").asText(), equalTo(TestImages.CAFFEINE));
    assertThat(rows.get("padded-60mb.png").path("smiles").asText(),
        equalTo(TestImages.CAFFEINE));
    for (String refused : List.of("square.png", "square.jpg")) {
      assertThat(refused, rows.get(refused).path("errorKind").asText(), equalTo("TOO_LARGE"));
      assertThat(rows.get(refused).path("error").asText(), containsString("13000x13000"));
      assertThat(rows.get(refused).path("error").asText(), containsString("of Java heap"));
    }
    for (String strip : List.of("wide.png", "tall.png", "wide.jpg", "tall.jpg")) {
      assertThat(strip + ": " + rows.get(strip), rows.get(strip).has("smiles"), is(true));
    }
  }

  @Test
  void thePipelineWithAOneGigabyteHeapRecognisesOrRefusesEachHugeImage() throws Exception {
    Path plates = tmp.resolve("plates");
    Path huge = Files.createDirectories(plates.resolve("huge"));
    for (Map.Entry<String, byte[]> e : hugeImages().entrySet()) {
      Files.write(huge.resolve(e.getKey()), e.getValue());
    }
    Files.write(huge.resolve("caffeine.png"), TestImages.bytes("real/decimer-caffeine.png"));
    Path normal = Files.createDirectories(plates.resolve("normal"));
    List<String> generated = EndToEndContract.generatedNames().subList(0, 4);
    for (String name : generated) {
      Files.write(normal.resolve(name), TestImages.bytes("generated/" + name));
    }
    Path out = tmp.resolve("results");
    Path log = tmp.resolve("pipeline.log");
    assertThat(finish(start(log, "--input=" + plates + "/", "--output=" + out + "/",
        "--progressInterval=0", PILLOW_MAX_PIXELS, "--maxImageBytes=50000000"), log),
        equalTo(0));

    Map<String, JsonNode> rows = rows(out.resolve("plates/huge/results.jsonl"));
    assertThat(rows.size(), equalTo(8));
    assertThat(rows.get("caffeine.png").path("smiles").asText(), equalTo(TestImages.CAFFEINE));
    assertThat(rows.get("padded-60mb.png").path("errorKind").asText(), equalTo("TOO_LARGE"));
    assertThat(rows.get("padded-60mb.png").path("error").asText(),
        containsString("exceeds --maxImageBytes=50000000; not read"));
    for (String refused : List.of("square.png", "square.jpg")) {
      assertThat(refused, rows.get(refused).path("errorKind").asText(), equalTo("TOO_LARGE"));
      assertThat(rows.get(refused).path("error").asText(), containsString("needs about"));
    }
    for (String strip : List.of("wide.png", "tall.png", "wide.jpg", "tall.jpg")) {
      assertThat(strip + ": " + rows.get(strip), rows.get(strip).path("status").asText(),
          oneOf("RECOGNIZED"));
    }
    Map<String, JsonNode> ordinary = rows(out.resolve("plates/normal/results.jsonl"));
    assertThat(ordinary.keySet(), equalTo(new java.util.TreeSet<>(generated)));
    for (String name : generated) {
      assertThat(name, ordinary.get(name).path("smiles").asText(),
          equalTo(TestImages.goldenSmiles("generated/" + name)));
    }
  }

  private static Map<String, JsonNode> rows(Path results) throws IOException {
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(results)) {
      if (!line.isBlank()) {
        JsonNode n = JSON.readTree(line);
        rows.put(n.get("image").asText(), n);
      }
    }
    return rows;
  }
}
