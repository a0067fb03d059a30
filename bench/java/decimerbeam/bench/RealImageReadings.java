package decimerbeam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.ModelStore;
import decimerbeam.inference.MolVecOpinion;
import decimerbeam.inference.Recognition;
import decimerbeam.inference.RecognitionException;
import decimerbeam.inference.SecondReading;
import decimerbeam.inference.Structures;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Records what every reader the pipeline has makes of a labelled set of real drawings: for each
 * image beside its reference molfile, the reference's standard InChIKey, DECIMER's greedy SMILES
 * with its token confidences, and MolVec's reading, each with the CPU time it took. One JSON line
 * per image, appended to OUT; images already in OUT are skipped, so an interrupted recording
 * resumes. {@link ReaderChoiceEvaluation} scores and calibrates from these lines without a model.
 *
 * <pre>RealImageReadings OUT SET_DIR...</pre>
 *
 * Each SET_DIR holds {@code NAME.tif}/{@code NAME.png} beside {@code NAME.mol}, or images and a
 * {@code truth.csv} of {@code image,smiles} (the test images); the set is named after the folder. System property {@code concurrency} (default cores x 4, the pipeline's
 * images in flight) sets how many images are read at once.
 */
public final class RealImageReadings {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private RealImageReadings() {}

  /** One labelled image: the reference is a molfile, or a SMILES from the set's truth.csv. */
  record Item(String set, Path image, Path molfile, String truthSmiles) {
    Item(String set, Path image, Path molfile) {
      this(set, image, molfile, "");
    }

    String truthInchiKey() throws IOException {
      return molfile == null
          ? Structures.identify(truthSmiles).map(Structures.Identity::inchiKey).orElse("")
          : Structures.molfileInchiKey(Files.readString(molfile, StandardCharsets.ISO_8859_1));
    }

    String id() {
      return set + "/" + image.getFileName();
    }
  }

  public static void main(String[] args) throws Exception {
    Structures.requireInchi();
    Path out = Path.of(args[0]);
    List<Item> items = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      items.addAll(labelled(Path.of(args[i])));
    }
    Set<String> done = ReadingsFile.recorded(out);
    List<Item> todo = items.stream().filter(it -> !done.contains(it.id())).toList();
    System.err.printf("%d labelled images, %d recorded already, %d to read%n", items.size(),
        done.size(), todo.size());
    int concurrency = Integer.getInteger("concurrency",
        Runtime.getRuntime().availableProcessors() * 4);
    long t0 = System.nanoTime();
    try (DecimerEngine engine = DecimerEngine.load(
            new ModelStore(ModelStore.defaultCacheRoot()).resolve(null), EngineSettings.defaults());
        MolVecOpinion molvec = new MolVecOpinion()) {
      var os = (com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      ReadingsFile.append(out, todo, concurrency, item -> read(item, engine, molvec), n -> {
        if (n % 25 == 0) {
          System.err.printf("%d / %d (%.2f img/s)%n", n, todo.size(),
              n / ((System.nanoTime() - t0) / 1e9));
        }
      });
      // Both readers, the model already loaded: what a row costs on this machine.
      if (!todo.isEmpty()) {
        System.err.printf(java.util.Locale.ROOT, "%d images: %.3f process CPU-seconds per image,"
                + " %.3f img/s, %d at once%n", todo.size(),
            (os.getProcessCpuTime() - cpu0) / 1e9 / todo.size(),
            todo.size() / ((System.nanoTime() - wall0) / 1e9), concurrency);
      }
    }
  }

  static ObjectNode read(Item item, DecimerEngine engine, MolVecOpinion molvec)
      throws IOException {
    byte[] bytes = Files.readAllBytes(item.image());
    ObjectNode row = JSON.createObjectNode();
    row.put("set", item.set()).put("image", item.image().getFileName().toString());
    row.put("truthInchiKey", item.truthInchiKey());
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    try {
      Recognition r = engine.recognize(bytes);
      row.put("decimerSmiles", r.smiles()).put("truncated", r.truncated());
      ArrayNode conf = row.putArray("tokenConfidences");
      for (float c : r.tokenConfidences()) {
        conf.add(Math.round(c * 1e5) / 1e5);
      }
    } catch (RecognitionException e) {
      row.put("decimerSmiles", "").put("decimerError", e.kind() + ": " + e.getMessage());
    }
    // The calling thread's CPU leaves out TensorFlow's own threads; the process's share is
    // measured by the benchmark that times the pipeline, this is only for comparison.
    row.put("decimerThreadCpuSeconds", (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9);
    SecondReading m = molvec.read(bytes);
    row.put("molvecSmiles", m.smiles()).put("molvecInchiKey", m.inchiKey())
        .put("molvecWarning", m.warning().map(Enum::name).orElse(""))
        .put("molvecCpuSeconds", Math.round(m.cpuSeconds() * 1000) / 1000.0);
    return row;
  }

  /** The image/molfile pairs of one set folder, in name order. */
  static List<Item> labelled(Path dir) throws IOException {
    String set = dir.getFileName().toString();
    Path truth = dir.resolve("truth.csv");
    if (Files.exists(truth)) {
      // image,smiles[,...] as the test images keep their truth
      List<Item> items = new ArrayList<>();
      for (String line : Files.readAllLines(truth).subList(1, Files.readAllLines(truth).size())) {
        String[] f = line.split(",");
        items.add(new Item(set, dir.resolve(f[0]), null, f[1]));
      }
      return items;
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.sorted().toList();
      List<Item> items = new ArrayList<>();
      for (Path p : all) {
        String name = p.getFileName().toString();
        if (!name.toLowerCase(java.util.Locale.ROOT).matches(".*\\.(tif|tiff|png)$")) {
          continue;
        }
        String stem = name.substring(0, name.lastIndexOf('.'));
        all.stream().filter(m -> m.getFileName().toString().equalsIgnoreCase(stem + ".mol"))
            .findFirst().ifPresent(m -> items.add(new Item(set, p, m)));
      }
      return items;
    }
  }
}
