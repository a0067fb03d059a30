package decimerbeam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.DecoderKind;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.ModelStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Java engine over a set of images at concurrency 1, 2, ... up to the given maximum, one
 * model in one JVM: per level one JSON line with img/s, CPU seconds per image, peak RSS and the
 * SMILES (to check they match Python's).
 *
 * <pre>EngineThroughput LEVELS INTRA_OP INTER_OP DIR...</pre>
 *
 * LEVELS: the concurrency levels to measure, comma-separated (e.g. "1,2"). System properties
 * {@code decoder} (full | cached, default full) and {@code maxBatch} choose the decoder. With
 * the cached decoder each level also reports the decoder loop's steps, and two more passes over
 * the same images at concurrency = cores split the CPU: preprocessing alone, then preprocessing
 * and the encoder (the encoder-only img/s is the limit of the engine); the decoder's share is
 * what is left of the whole ({@code -Dphases=false} skips those passes).
 */
public final class EngineThroughput {

  private EngineThroughput() {}

  /** CPU seconds per image of preprocessing alone and with the encoder, at cores threads. */
  private static void phases(DecimerEngine engine, List<byte[]> bytes,
      com.sun.management.OperatingSystemMXBean os, ObjectNode row) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    for (boolean encode : new boolean[] {false, true}) {
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(cores);
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < cores; t++) {
        done.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < bytes.size(); ) {
            engine.encodeOnly(bytes.get(i), encode);
          }
          return null;
        }));
      }
      for (var f : done) {
        f.get();
      }
      pool.shutdown();
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / bytes.size();
      String key = encode ? "preprocessAndEncoder" : "preprocess";
      row.put(key + "CpuSecondsPerImage", Math.round(cpu * 1000) / 1000.0)
          .put(key + "ImagesPerSecond", Math.round(bytes.size() / wall * 1000) / 1000.0);
    }
  }

  public static void main(String[] args) throws Exception {
    int[] levels = java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt)
        .toArray();
    EngineSettings settings = new EngineSettings(Integer.parseInt(args[1]),
        Integer.parseInt(args[2]), EngineSettings.defaults().maxPixels(),
        DecoderKind.parse(System.getProperty("decoder", "full")),
        Integer.getInteger("maxBatch", EngineSettings.DEFAULT_MAX_BATCH));
    List<Path> images = BenchImages.in(List.of(args).subList(3, args.length));
    List<byte[]> bytes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Path p : images) {
      bytes.add(Files.readAllBytes(p));
      names.add(p.getFileName().toString());
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ObjectMapper json = new ObjectMapper();
    try (DecimerEngine engine = DecimerEngine.load(
        new ModelStore(ModelStore.defaultCacheRoot()).resolve(null), settings)) {
      engine.recognize(bytes.get(0)); // warm-up, as the Python loop's model load
      for (int c : levels) {
        ProcessMemory.resetPeak();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        DecimerEngine.DecoderStats s0 = engine.decoderStats();
        Map<String, String> smiles = EngineLoop.run(engine, names, bytes, c);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        DecimerEngine.DecoderStats s1 = engine.decoderStats();
        ObjectNode row = json.createObjectNode();
        row.put("engine", "java-" + settings.decoder().cliName()).put("concurrency", c)
            .put("images", bytes.size())
            .put("intraOpThreads", settings.intraOpThreads())
            .put("interOpThreads", settings.interOpThreads())
            .put("wallSeconds", Math.round(wall * 100) / 100.0)
            .put("imagesPerSecond", Math.round(bytes.size() / wall * 1000) / 1000.0)
            .put("cpuSecondsPerImage", Math.round(cpu / bytes.size() * 1000) / 1000.0)
            .put("peakRssMib", ProcessMemory.peakMib());
        if (settings.decoder() == DecoderKind.CACHED) {
          long steps = s1.steps() - s0.steps();
          row.put("maxBatch", settings.maxBatch()).put("decoderSteps", steps)
              .put("meanRowsPerStep", Math.round(
                  (double) (s1.rowSteps() - s0.rowSteps()) / steps * 100) / 100.0)
              .put("msPerStep", Math.round(
                  (s1.stepNanos() - s0.stepNanos()) / 1e6 / steps * 100) / 100.0);
          if (Boolean.parseBoolean(System.getProperty("phases", "true"))) {
            phases(engine, bytes, os, row);
          }
        }
        row.putPOJO("smiles", smiles);
        System.out.println(json.writeValueAsString(row));
        System.err.printf(Locale.ROOT, "java c=%d: %.3f img/s%n", c, bytes.size() / wall);
      }
    }
  }
}
