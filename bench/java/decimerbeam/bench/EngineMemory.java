package decimerbeam.bench;

import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Measures the engine's memory: RSS of the JVM before and after loading the model, and the peak
 * RSS while 1, 2, ... inferences run at once, from which the extra RSS per concurrent inference
 * follows. The pipeline sizes its inference permits from these two figures.
 *
 * <pre>java -cp ... decimerbeam.bench.EngineMemory IMAGE_DIR [MAX_CONCURRENCY] [ROUNDS]</pre>
 */
public final class EngineMemory {

  private EngineMemory() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/images/real");
    int maxConcurrency = args.length > 1 ? Integer.parseInt(args[1])
        : Runtime.getRuntime().availableProcessors();
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    List<byte[]> images = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
        images.add(Files.readAllBytes(p));
      }
    }
    System.gc();
    long before = ProcessMemory.rssMib();
    try (DecimerEngine engine = DecimerEngine.load(
        new ModelStore(ModelStore.defaultCacheRoot()).resolve(null), EngineSettings.defaults())) {
      long loaded = ProcessMemory.rssMib();
      engine.recognize(images.get(0)); // first call builds TF's kernels and caches
      long warm = ProcessMemory.rssMib();
      System.out.printf(Locale.ROOT, "jvm-before-load-mib %d%nafter-load-mib %d%n"
          + "after-first-inference-mib %d%nmodel-footprint-mib %d%n", before, loaded, warm,
          warm - before);
      long previousPeak = warm;
      for (int c = 1; c <= maxConcurrency; c++) {
        ProcessMemory.resetPeak();
        ExecutorService pool = Executors.newFixedThreadPool(c);
        List<Future<?>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < c; t++) {
          futures.add(pool.submit(() -> {
            for (int r = 0; r < rounds; r++) {
              for (byte[] img : images) {
                engine.recognize(img);
              }
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
        pool.shutdown();
        double secs = (System.nanoTime() - t0) / 1e9;
        long peak = ProcessMemory.peakMib();
        System.out.printf(Locale.ROOT,
            "concurrency %d: peak-rss-mib %d, extra-over-previous-mib %d, img/s %.2f%n",
            c, peak, peak - previousPeak, c * rounds * images.size() / secs);
        previousPeak = peak;
      }
    }
  }
}
