package decimerbeam.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Runs an expansion (a pipeline, or the listing calls alone) and prints one JSON line: how many
 * files it found, its wall time, and this JVM's peak RSS and peak heap while it ran. Counts in a
 * static field, so it works on the DirectRunner only. Uses only Beam core, so either side of
 * benchmark 3 can call it on its own classpath.
 */
final class ExpansionRun {

  private static final AtomicLong FOUND = new AtomicLong();

  private ExpansionRun() {}

  /** Runs the pipeline to the end and reports what {@code files} held. */
  static void measure(String mode, Pipeline pipeline, PCollection<?> files) {
    // A plain counting step, not Count.globally(): its grouping would cost more than the listing.
    files.apply("Count", ParDo.of(new CountFn()));
    measure(mode, () -> {
      PipelineResult.State state = pipeline.run().waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("pipeline ended " + state);
      }
      return FOUND.get();
    });
  }

  /** Times {@code expansion} (which returns how many files it found) and reports it. */
  static void measure(String mode, Expansion expansion) {
    long rssBefore = ProcessMemory.rssMib();
    ProcessMemory.resetPeak();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long t0 = System.nanoTime();
    long files;
    try {
      files = expansion.run();
    } catch (Exception e) {
      throw new IllegalStateException(mode + " failed", e);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(Locale.ROOT, "{\"mode\":\"%s\",\"files\":%d,\"wallSeconds\":%.2f,"
        + "\"rssBeforeMib\":%d,\"peakRssMib\":%d,\"peakHeapMib\":%d}%n", mode, files, wall,
        rssBefore, ProcessMemory.peakMib(), peakHeap / (1024 * 1024));
  }

  /** One way of expanding the input into files; returns how many it found. */
  interface Expansion {
    long run() throws Exception;
  }

  private static final class CountFn extends DoFn<Object, Void> {
    @ProcessElement
    public void process() {
      FOUND.incrementAndGet();
    }
  }
}
