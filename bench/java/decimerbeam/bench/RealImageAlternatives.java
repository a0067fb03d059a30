package decimerbeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.inference.Agreement;
import decimerbeam.inference.Alternative;
import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.ModelStore;
import decimerbeam.inference.RecognitionException;
import decimerbeam.inference.Structures;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * DECIMER's 5 best readings ({@link DecimerEngine#alternatives}) of the images recorded by
 * {@link RealImageReadings}: one JSON line per image appended to OUT, {@code set}, {@code image},
 * {@code alternatives} (SMILES and summed log-probability, best first) and, when images are read
 * one at a time, {@code cpuSeconds}: the process's CPU time around the call. Images already in
 * OUT are skipped, so an interrupted run resumes.
 *
 * <pre>RealImageAlternatives OUT READINGS.jsonl SET_DIR...</pre>
 *
 * The image named in a READINGS line is looked up in the SET_DIR whose folder name is its
 * {@code set}. System properties: {@code only} = {@code all} (default) or {@code flagged}, the
 * images whose greedy reading MolVec does not confirm (DECIMER failed or was cut off, or the
 * two InChIKeys differ or one is missing); {@code concurrency} (default 2) images at once, where
 * per-image CPU cannot be told apart, so wall and process CPU for the whole run go to stderr;
 * {@code compareGreedy=true} also times a greedy {@code recognize} of each image
 * ({@code greedyCpuSeconds}, serial runs only); {@code maxBatch} overrides the rows of the
 * engine's greedy decoding steps (default {@link EngineSettings#defaults()}).
 */
public final class RealImageAlternatives {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int K = 5;
  private static final long TIMEOUT_MILLIS = 60_000;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private RealImageAlternatives() {}

  /** {@code name} as READINGS spells it, {@code image} the file found for it. */
  record Item(String set, String name, Path image) {
    String id() {
      return set + "/" + name;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: RealImageAlternatives OUT READINGS.jsonl SET_DIR...");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    Map<String, Path> setDirs = new HashMap<>();
    for (int i = 2; i < args.length; i++) {
      Path dir = Path.of(args[i]);
      setDirs.put(dir.getFileName().toString(), dir);
    }
    Predicate<JsonNode> selected = selection(System.getProperty("only", "all"));
    List<Item> items = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode reading = JSON.readTree(line);
      if (selected.test(reading)) {
        items.add(locate(reading, setDirs));
      }
    }
    Set<String> done = ReadingsFile.recorded(out);
    List<Item> todo = items.stream().filter(it -> !done.contains(it.id())).toList();
    int concurrency = Integer.getInteger("concurrency", 2);
    boolean serial = concurrency == 1;
    boolean compareGreedy = Boolean.getBoolean("compareGreedy");
    if (compareGreedy && !serial) {
      throw new IllegalArgumentException("compareGreedy needs concurrency=1: per-image CPU");
    }
    System.err.printf("%d images selected, %d recorded already, %d to read, %d at once%n",
        items.size(), items.size() - todo.size(), todo.size(), concurrency);
    EngineSettings settings = EngineSettings.defaults();
    if (Integer.getInteger("maxBatch") != null) {
      settings = settings.withMaxBatch(Integer.getInteger("maxBatch"));
    }
    try (DecimerEngine engine = DecimerEngine.load(
            new ModelStore(ModelStore.defaultCacheRoot()).resolve(null), settings)) {
      if (!todo.isEmpty()) {
        // Loading and the first call's one-off costs stay out of the per-image figures.
        engine.alternatives(Files.readAllBytes(todo.get(0).image()), K, TIMEOUT_MILLIS);
        if (compareGreedy) {
          engine.recognize(Files.readAllBytes(todo.get(0).image()));
        }
      }
      long wall0 = System.nanoTime();
      long cpu0 = OS.getProcessCpuTime();
      ReadingsFile.append(out, todo, concurrency,
          item -> read(item, engine, serial, compareGreedy), n -> {
            if (n % 10 == 0) {
              System.err.printf("%d / %d%n", n, todo.size());
            }
          });
      double wall = (System.nanoTime() - wall0) / 1e9;
      double cpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
      int n = Math.max(1, todo.size());
      System.err.printf(Locale.ROOT, "%d images in %.1f s wall, %.1f process CPU-s"
          + " (%.2f s wall, %.2f CPU-s per image; greedy included: %b)%n",
          todo.size(), wall, cpu, wall / n, cpu / n, compareGreedy);
    }
  }

  static ObjectNode read(Item item, DecimerEngine engine, boolean serial, boolean compareGreedy)
      throws IOException {
    byte[] bytes = Files.readAllBytes(item.image());
    ObjectNode row = JSON.createObjectNode();
    row.put("set", item.set()).put("image", item.name());
    ArrayNode alternatives = row.putArray("alternatives");
    long cpu0 = OS.getProcessCpuTime();
    long wall0 = System.nanoTime();
    try {
      for (Alternative a : engine.alternatives(bytes, K, TIMEOUT_MILLIS)) {
        alternatives.addObject().put("smiles", a.smiles())
            .put("score", Math.round(a.score() * 1e5) / 1e5)
            .put("truncated", a.truncated());
      }
    } catch (RecognitionException e) {
      row.put("error", e.kind() + ": " + e.getMessage());
    }
    double cpu = (OS.getProcessCpuTime() - cpu0) / 1e9;
    row.put("wallSeconds", Math.round((System.nanoTime() - wall0) / 1e6) / 1e3);
    // With other images in flight the process's CPU belongs to all of them.
    if (serial) {
      row.put("cpuSeconds", Math.round(cpu * 1000) / 1000.0);
    }
    if (compareGreedy) {
      long greedy0 = OS.getProcessCpuTime();
      try {
        row.put("greedySmiles", engine.recognize(bytes, TIMEOUT_MILLIS).smiles());
      } catch (RecognitionException e) {
        row.put("greedyError", e.kind() + ": " + e.getMessage());
      }
      row.put("greedyCpuSeconds",
          Math.round((OS.getProcessCpuTime() - greedy0) / 1e6) / 1000.0);
    }
    return row;
  }

  /**
   * {@code all}, or {@code flagged}: the readings MolVec does not confirm, the ones where a
   * second-best DECIMER reading could matter.
   */
  static Predicate<JsonNode> selection(String only) {
    return switch (only) {
      case "all" -> r -> true;
      case "flagged" -> {
        Structures.requireInchi();
        yield RealImageAlternatives::flagged;
      }
      default -> throw new IllegalArgumentException("only must be all or flagged, got " + only);
    };
  }

  static boolean flagged(JsonNode reading) {
    String smiles = reading.path("decimerSmiles").asText("");
    if (smiles.isEmpty() || reading.path("truncated").asBoolean(false)
        || reading.has("decimerError")) {
      return true;
    }
    String decimerKey = Structures.identify(smiles).map(Structures.Identity::inchiKey)
        .orElse("");
    return !Agreement.of(decimerKey, reading.path("molvecInchiKey").asText(""))
        .sameStructure();
  }

  /** The image file of a READINGS line: by exact name, else ignoring case. */
  static Item locate(JsonNode reading, Map<String, Path> setDirs) throws IOException {
    String set = reading.get("set").asText();
    String image = reading.get("image").asText();
    Path dir = setDirs.get(set);
    if (dir == null) {
      throw new IllegalArgumentException("no SET_DIR named " + set + " for " + image);
    }
    Path exact = dir.resolve(image);
    if (Files.isRegularFile(exact)) {
      return new Item(set, image, exact);
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().equalsIgnoreCase(image)).findFirst()
          .map(p -> new Item(set, image, p))
          .orElseThrow(() -> new IllegalArgumentException(image + " is not in " + dir));
    }
  }
}
