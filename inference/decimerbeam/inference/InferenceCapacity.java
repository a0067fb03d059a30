package decimerbeam.inference;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * How many inferences may run at once in this JVM, and how many bytes they may hold. The JVM's
 * share of memory is the host's RAM (or its cgroup limit) divided among the worker JVMs of the
 * host, and never more than the native memory JavaCPP lets the process reach
 * ({@link NativeMemoryLimit}); that share times the allowed fraction, minus the JVM's heap
 * ceiling and the model's footprint, is the native budget of the inferences, and divided by
 * what one running inference adds it gives the count, capped by the cores times the images each
 * core can keep busy (one with the full decoder; more with the cached one, whose images wait for
 * the shared decoding loop between encoding and their answer). The footprints are the measured
 * figures in README (model 2,320 MiB RSS with the JVM; 38–73 MiB per concurrent inference,
 * rounded up).
 */
public record InferenceCapacity(long totalRamMib, double memoryFraction, long heapMaxMib,
    long modelFootprintMib, long perInferenceMib, int cores, int permits, String reason,
    int workersPerHost, int imagesPerCore, long physicalLimitMib) {

  /** Share of the heap that running inferences may plan on; the rest is the pipeline's. */
  public static final double HEAP_SHARE_OF_INFERENCES = 0.75;

  public static final long MODEL_FOOTPRINT_MIB = 2400;
  public static final long PER_INFERENCE_MIB = 96;

  /**
   * Sizes from this machine for one of {@code workersPerHost} worker JVMs, with
   * {@code imagesPerCore} images in flight per core when RAM allows; {@code override > 0}
   * replaces the computed number.
   */
  public static InferenceCapacity forThisHost(double memoryFraction, int override,
      int workersPerHost, int imagesPerCore) {
    long ram = hostRamMib();
    long heap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    int cores = Runtime.getRuntime().availableProcessors();
    return compute(ram, memoryFraction, heap, cores, override, workersPerHost, imagesPerCore,
        NativeMemoryLimit.inForceMib());
  }

  public static InferenceCapacity compute(long ramMib, double fraction, long heapMib, int cores,
      int override) {
    return compute(ramMib, fraction, heapMib, cores, override, 1);
  }

  public static InferenceCapacity compute(long ramMib, double fraction, long heapMib, int cores,
      int override, int workersPerHost) {
    return compute(ramMib, fraction, heapMib, cores, override, workersPerHost, 1);
  }

  public static InferenceCapacity compute(long ramMib, double fraction, long heapMib, int cores,
      int override, int workersPerHost, int imagesPerCore) {
    return compute(ramMib, fraction, heapMib, cores, override, workersPerHost, imagesPerCore, 0);
  }

  /** As above, the share never over {@code physicalLimitMib} (0: no such limit). */
  public static InferenceCapacity compute(long ramMib, double fraction, long heapMib, int cores,
      int override, int workersPerHost, int imagesPerCore, long physicalLimitMib) {
    if (imagesPerCore < 1) {
      throw new IllegalArgumentException("imagesPerCore must be >= 1, got " + imagesPerCore);
    }
    if (fraction <= 0 || fraction > 1) {
      throw new IllegalArgumentException("memoryFraction must be in (0, 1], got " + fraction);
    }
    if (workersPerHost < 1) {
      throw new IllegalArgumentException("workersPerHost must be >= 1, got " + workersPerHost);
    }
    long budget = (long) (shareMib(ramMib, workersPerHost, physicalLimitMib) * fraction)
        - heapMib - MODEL_FOOTPRINT_MIB;
    long byMemory = Math.max(0, budget / PER_INFERENCE_MIB);
    int byCores = cores * imagesPerCore;
    int permits;
    String reason;
    if (override > 0) {
      permits = override;
      reason = "--maxConcurrentInferences";
    } else if (byMemory < byCores) {
      permits = (int) Math.max(1, byMemory);
      reason = budget < PER_INFERENCE_MIB ? "memory (below one inference: running one at a time)"
          : "memory";
    } else {
      permits = byCores;
      reason = imagesPerCore == 1 ? "cores" : "cores x " + imagesPerCore + " images each";
    }
    return new InferenceCapacity(ramMib, fraction, heapMib, MODEL_FOOTPRINT_MIB,
        PER_INFERENCE_MIB, cores, permits, reason, workersPerHost, imagesPerCore,
        physicalLimitMib);
  }

  private static long shareMib(long ramMib, int workersPerHost, long physicalLimitMib) {
    long share = ramMib / workersPerHost;
    return physicalLimitMib > 0 ? Math.min(share, physicalLimitMib) : share;
  }

  /**
   * This JVM's share of the host's memory, the budget the memory watchdog holds it to: never
   * more than JavaCPP's limit, past which native allocations fail.
   */
  public long shareBytes() {
    return shareMib(totalRamMib, workersPerHost, physicalLimitMib) << 20;
  }

  /** Heap that running inferences may hold together ({@link WorkingMemory#heapBytes()}). */
  public long heapBudgetBytes() {
    return (long) ((heapMaxMib << 20) * HEAP_SHARE_OF_INFERENCES);
  }

  /**
   * Native memory that running inferences may hold together: the share times the fraction,
   * less the heap ceiling and the model; never under one inference, so one always runs.
   */
  public long nativeBudgetBytes() {
    long mib = (long) ((shareBytes() >> 20) * memoryFraction) - heapMaxMib - modelFootprintMib;
    return Math.max(perInferenceMib, mib) << 20;
  }

  /** Physical RAM, or the cgroup memory limit when the JVM runs in a smaller container. */
  static long hostRamMib() {
    long physical = ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / (1024 * 1024);
    OptionalLong cgroup = cgroupLimitMib();
    return cgroup.isPresent() ? Math.min(physical, cgroup.getAsLong()) : physical;
  }

  private static OptionalLong cgroupLimitMib() {
    for (String f : new String[] {"/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
      try {
        String v = Files.readString(Path.of(f)).strip();
        if (!v.equals("max") && !v.isEmpty()) {
          long bytes = Long.parseLong(v);
          if (bytes > 0 && bytes < Long.MAX_VALUE / 2) {
            return OptionalLong.of(bytes / (1024 * 1024));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // No such cgroup file on this host.
      }
    }
    return OptionalLong.empty();
  }

  public String describe() {
    boolean limited = (shareBytes() >> 20) < totalRamMib / workersPerHost;
    String share = limited ? String.format(Locale.ROOT, "JavaCPP's limit %d MiB (-D%s; RAM %d"
        + " MiB / %d worker JVMs)", physicalLimitMib, NativeMemoryLimit.PROPERTY, totalRamMib,
        workersPerHost)
        : String.format(Locale.ROOT, "RAM %d MiB / %d worker JVMs", totalRamMib, workersPerHost);
    return String.format(Locale.ROOT, "%d concurrent inferences (limited by %s): %s x %.2f"
        + " - heap max %d MiB - model %d MiB, / %d MiB per inference; %d cores;"
        + " inferences may hold %s of heap and %s native", permits, reason, share,
        memoryFraction, heapMaxMib, modelFootprintMib, perInferenceMib, cores,
        WorkingMemory.mib(heapBudgetBytes()), WorkingMemory.mib(nativeBudgetBytes()));
  }
}
