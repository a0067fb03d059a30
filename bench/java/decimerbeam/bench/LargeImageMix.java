package decimerbeam.bench;

import decimerbeam.inference.InferenceCapacity;
import decimerbeam.pipeline.DecimerOptions;
import decimerbeam.pipeline.RunCommand;
import decimerbeam.testing.HugeImages;
import decimerbeam.pipeline.DecimerPipeline;
import decimerbeam.worker.DecimerModel;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Benchmark 7: peak RSS and peak heap of one pipeline JVM (DirectRunner, local folders) over the
 * images of DIR... plus about 10 % very large ones (24000x200 and 200x24000 strips as PNG and
 * JPEG, 13000x13000 PNGs), against the JVM's memory budget. Run it with the heap a worker has,
 * e.g. {@code MAVEN_OPTS=-Xmx1g}.
 *
 * <pre>LargeImageMix WORK_DIR DIR...</pre>
 */
public final class LargeImageMix {

  private LargeImageMix() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Path plates = work.resolve("plates");
    Path normal = Files.createDirectories(plates.resolve("normal"));
    int n = 0;
    for (int i = 1; i < args.length; i++) {
      try (Stream<Path> s = Files.list(Path.of(args[i]))) {
        for (Path p : s.filter(f -> f.toString().matches("(?i).*\\.(png|jpe?g)$")).sorted()
            .toList()) {
          Files.copy(p, normal.resolve(Path.of(args[i]).getFileName() + "-" + p.getFileName()));
          n++;
        }
      }
    }
    Path large = Files.createDirectories(plates.resolve("large"));
    int large0 = Math.max(1, n / 9);
    List<String> made = new ArrayList<>();
    for (int i = 0; i < large0; i++) {
      String name;
      byte[] bytes;
      switch (i % 5) {
        case 0 -> { name = "wide-" + i + ".png"; bytes = HugeImages.png(24000, 200); }
        case 1 -> { name = "tall-" + i + ".png"; bytes = HugeImages.png(200, 24000); }
        case 2 -> { name = "wide-" + i + ".jpg"; bytes = HugeImages.jpeg(24000, 200); }
        case 3 -> { name = "tall-" + i + ".jpg"; bytes = HugeImages.jpeg(200, 24000); }
        default -> { name = "square-" + i + ".png"; bytes = HugeImages.png(13000, 13000); }
      }
      Files.write(large.resolve(name), bytes);
      made.add(name);
    }
    PipelineOptionsFactory.register(DecimerOptions.class);
    DecimerOptions o = PipelineOptionsFactory.fromArgs("--input=" + plates + "/",
        "--output=" + work.resolve("results") + "/", "--progressInterval=0",
        "--maxPixels=178956970").withValidation().as(DecimerOptions.class);
    DecimerModel model = DecimerPipeline.decimerModel(o);
    InferenceCapacity capacity = DecimerPipeline.capacityHere(o, model);

    AtomicLong peakHeap = new AtomicLong();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        peakHeap.accumulateAndGet(heap, Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    ProcessMemory.resetPeak();
    long t0 = System.nanoTime();
    sampler.start();
    RunCommand.run(o, model);
    sampler.interrupt();
    double secs = (System.nanoTime() - t0) / 1e9;
    long poolPeaks = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        poolPeaks += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(Locale.ROOT, "images: %d ordinary + %d very large (%s)%n", n, large0,
        String.join(", ", made));
    System.out.printf(Locale.ROOT, "wall %.1f s; heap max %d MiB; peak heap used %d MiB (sampled"
        + " every 50 ms; sum of pool peaks %d MiB); peak RSS %d MiB%n", secs,
        Runtime.getRuntime().maxMemory() >> 20, peakHeap.get() >> 20, poolPeaks >> 20,
        ProcessMemory.peakMib());
    System.out.printf(Locale.ROOT, "budget: share %d MiB, high-water %d MiB (x %.2f), exit at"
        + " %d MiB; inferences: %d slots, %d MiB heap, %d MiB native%n",
        capacity.shareBytes() >> 20, (long) (capacity.shareBytes() * o.getMemoryFraction()) >> 20,
        o.getMemoryFraction(), (long) (capacity.shareBytes() * o.getMemoryExitFraction()) >> 20,
        capacity.permits(), capacity.heapBudgetBytes() >> 20, capacity.nativeBudgetBytes() >> 20);
  }
}
