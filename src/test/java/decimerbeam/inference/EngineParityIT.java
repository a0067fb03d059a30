package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The proof that the JVM engine is DECIMER: on the generated set plus the real images, with the
 * real weights, the Java engine gives the same SMILES as Python DECIMER 2.8.1 and the same mean
 * confidence, with either decoder. The cached decoder (the one the pipeline runs) reads every
 * image; the full decoder, about four times slower, reads a fixed subset: every twentieth image
 * of the golden file, real and generated, PNG and JPEG alike, and caffeine; on those the cached
 * decoder's tokens and per-token confidences are the full decoder's. Also reports accuracy of
 * both engines against the ground truth.
 */
class EngineParityIT {

  private static final String CAFFEINE = "decimer-caffeine.png";

  /** Every {@value}-th image of the golden file is in the full decoder's subset. */
  static final int FULL_DECODER_STRIDE = 20;

  @Test
  void javaEngineAgreesWithPythonDecimer() throws Exception {
    List<Golden> all = Golden.rows();
    List<Golden> subset = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (i % FULL_DECODER_STRIDE == 0 || all.get(i).image().endsWith(CAFFEINE)) {
        subset.add(all.get(i));
      }
    }
    assertThat("the subset has real and generated images",
        subset.stream().map(g -> g.image().split("/")[0]).distinct().sorted().toList(),
        equalTo(List.of("generated", "real")));
    assertThat("the subset has PNG and JPEG images",
        subset.stream().map(g -> g.image().replaceAll(".*\\.", "")).distinct().sorted().toList(),
        equalTo(List.of("jpg", "png")));
    Recognition[] full = recognizeAll(TestModel.engine(), subset, 1);
    assertParity("full", subset, full);
    // The cached decoder reads the same tokens with the same confidences, token by token.
    Map<String, Recognition> cached = cachedReadings();
    for (int i = 0; i < subset.size(); i++) {
      String image = subset.get(i).image();
      Recognition a = full[i];
      Recognition b = cached.get(image);
      assertThat(image, b.smiles(), equalTo(a.smiles()));
      assertThat(image, b.tokenCount(), equalTo(a.tokenCount()));
      assertThat(image, b.truncated(), equalTo(a.truncated()));
      for (int t = 0; t < a.tokenCount(); t++) {
        assertThat(image + " token " + t, (double) Math.abs(
            a.tokenConfidences()[t] - b.tokenConfidences()[t]), lessThan(1e-4));
      }
    }
  }

  /**
   * The cached decoder, its steps batched across 16 images in flight, against the same golden
   * file: Python DECIMER runs the published full-prefix graph.
   */
  @Test
  void cachedDecoderAgreesWithPythonDecimer() throws Exception {
    List<Golden> rows = Golden.rows();
    assertThat("golden rows", rows.size(), greaterThanOrEqualTo(107));
    Map<String, Recognition> cached = cachedReadings();
    assertParity("cached", rows, rows.stream().map(g -> cached.get(g.image()))
        .toArray(Recognition[]::new));
  }

  /** Every golden image read by the shared cached engine, 16 in flight, once for the class. */
  private static Map<String, Recognition> cachedReadings;

  private static synchronized Map<String, Recognition> cachedReadings() throws Exception {
    if (cachedReadings == null) {
      List<Golden> rows = Golden.rows();
      Recognition[] read = recognizeAll(TestModel.cachedEngine(), rows, 16);
      Map<String, Recognition> byImage = new HashMap<>();
      for (int i = 0; i < rows.size(); i++) {
        byImage.put(rows.get(i).image(), read[i]);
      }
      cachedReadings = Map.copyOf(byImage);
    }
    return cachedReadings;
  }

  private static Recognition[] recognizeAll(DecimerEngine engine, List<Golden> rows,
      int concurrency) throws Exception {
    Recognition[] out = new Recognition[rows.size()];
    RecognitionException[] errors = new RecognitionException[rows.size()];
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(concurrency);
    try {
      List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < concurrency; t++) {
        workers.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < rows.size(); ) {
            try {
              out[i] = engine.recognize(rows.get(i).bytes());
            } catch (RecognitionException e) {
              errors[i] = e;
            }
          }
          return null;
        }));
      }
      for (var w : workers) {
        w.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) {
        out[i] = new Recognition("ERROR " + errors[i].kind(), new float[0], false, 0, 0);
      }
    }
    return out;
  }

  private static void assertParity(String decoder, List<Golden> rows, Recognition[] results)
      throws Exception {
    Map<String, String> truth = truth();

    int identical = 0;
    Map<String, int[]> accuracy = new java.util.TreeMap<>(); // folder -> {java, python, total}
    List<String> disagreements = new ArrayList<>();
    List<String> confidenceGaps = new ArrayList<>();
    String caffeine = null;
    for (int i = 0; i < rows.size(); i++) {
      Golden g = rows.get(i);
      String javaSmiles = results[i].smiles();
      double javaMean = javaSmiles.startsWith("ERROR ") ? Double.NaN
          : results[i].meanConfidence();
      boolean same = g.failedInPython() ? javaSmiles.startsWith("ERROR") : javaSmiles.equals(g.smiles());
      if (same) {
        identical++;
        double pyMean = g.row().path("meanConfidence").asDouble(Double.NaN);
        if (!g.failedInPython() && Math.abs(pyMean - javaMean) > 1e-3) {
          confidenceGaps.add(String.format(Locale.ROOT, "%s: java %.6f python %.6f", g.image(),
              javaMean, pyMean));
        }
      } else {
        disagreements.add(g.image() + ": java " + javaSmiles + " python "
            + (g.failedInPython() ? g.row().get("error").asText() : g.smiles()));
      }
      if (g.image().endsWith(CAFFEINE)) {
        caffeine = javaSmiles;
      }
      String expected = truth.get(g.image());
      if (expected != null) {
        int[] a = accuracy.computeIfAbsent(g.image().split("/")[0], k -> new int[3]);
        a[0] += Structures.sameStructure(javaSmiles, expected) ? 1 : 0;
        a[1] += Structures.sameStructure(g.smiles(), expected) ? 1 : 0;
        a[2]++;
      }
    }
    double agreement = 100.0 * identical / rows.size();
    System.out.printf(Locale.ROOT, "%s decoder: parity with Python DECIMER 2.8.1: %d / %d"
        + " identical SMILES (%.1f %%)%n", decoder, identical, rows.size(), agreement);
    accuracy.forEach((set, a) -> System.out.printf(Locale.ROOT,
        "accuracy vs truth (%s): java %d / %d, python %d / %d%n", set, a[0], a[2], a[1], a[2]));
    disagreements.forEach(d -> System.out.println("  differs: " + d));
    confidenceGaps.forEach(d -> System.out.println("  mean confidence apart: " + d));

    assertThat("caffeine", caffeine, equalTo("CN1C=NC2=C1C(=O)N(C)C(=O)N2C"));
    assertThat("SMILES agreement % (" + disagreements + ")", agreement,
        greaterThanOrEqualTo(99.0));
    assertThat("mean confidence within 1e-3", confidenceGaps, empty());
  }

  /** image (relative to the images folder) → truth SMILES, from both truth.csv files. */
  static Map<String, String> truth() throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String folder : List.of("real", "generated")) {
      Path csv = Golden.IMAGES.resolve(folder).resolve("truth.csv");
      List<String> lines = Files.readAllLines(csv);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        out.put(folder + "/" + f[0], f[1]);
      }
    }
    return out;
  }
}
