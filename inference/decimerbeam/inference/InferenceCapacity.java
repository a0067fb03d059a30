package decimerbeam.inference;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * How many inferences may run at once in this JVM: the host's RAM (or its cgroup limit) times
 * the allowed fraction, minus the JVM's heap ceiling and the model's footprint, divided by what
 * one running inference adds, capped by the cores. The footprints are the measured figures in
 * README (model 2,320 MiB RSS with the JVM; 38–73 MiB per concurrent inference, rounded up).
 */
public record InferenceCapacity(long totalRamMib, double memoryFraction, long heapMaxMib,
    long modelFootprintMib, long perInferenceMib, int cores, int permits, String reason) {

  public static final long MODEL_FOOTPRINT_MIB = 2400;
  public static final long PER_INFERENCE_MIB = 96;

  /** Sizes from this machine; {@code override > 0} replaces the computed number. */
  public static InferenceCapacity forThisHost(double memoryFraction, int override) {
    long ram = hostRamMib();
    long heap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    int cores = Runtime.getRuntime().availableProcessors();
    return compute(ram, memoryFraction, heap, cores, override);
  }

  public static InferenceCapacity compute(long ramMib, double fraction, long heapMib, int cores,
      int override) {
    if (fraction <= 0 || fraction > 1) {
      throw new IllegalArgumentException("memoryFraction must be in (0, 1], got " + fraction);
    }
    long budget = (long) (ramMib * fraction) - heapMib - MODEL_FOOTPRINT_MIB;
    long byMemory = Math.max(0, budget / PER_INFERENCE_MIB);
    int permits;
    String reason;
    if (override > 0) {
      permits = override;
      reason = "--maxConcurrentInferences";
    } else if (byMemory < cores) {
      permits = (int) Math.max(1, byMemory);
      reason = budget < PER_INFERENCE_MIB ? "memory (below one inference: running one at a time)"
          : "memory";
    } else {
      permits = cores;
      reason = "cores";
    }
    return new InferenceCapacity(ramMib, fraction, heapMib, MODEL_FOOTPRINT_MIB,
        PER_INFERENCE_MIB, cores, permits, reason);
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
    return String.format(Locale.ROOT, "%d concurrent inferences (limited by %s): RAM %d MiB x %.2f"
        + " - heap max %d MiB - model %d MiB, / %d MiB per inference; %d cores", permits, reason,
        totalRamMib, memoryFraction, heapMaxMib, modelFootprintMib, perInferenceMib, cores);
  }
}
