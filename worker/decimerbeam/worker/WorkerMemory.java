package decimerbeam.worker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One reading of this worker's memory: resident set (from /proc/self/status), the heap, and
 * what the host (or its cgroup) still has available.
 *
 * @param rssBytes resident set size of the process, native and heap together
 * @param heapUsedBytes heap in use, garbage included until the next collection
 * @param heapCommittedBytes heap the JVM has taken from the OS (part of the RSS)
 * @param availableBytes what the host or, where smaller, the cgroup can still give; -1 unknown
 */
record WorkerMemory(long rssBytes, long heapUsedBytes, long heapCommittedBytes,
    long availableBytes) {

  /**
   * What the worker uses, as the kernel counts it when it picks a process to kill: the resident
   * set, heap garbage included (the watchdog asks for a collection before holding for long).
   * Heap committed but never touched is not resident, so nothing finer can be read cheaply.
   */
  long usedBytes() {
    return rssBytes;
  }

  static WorkerMemory now() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long rss = statusField(Path.of("/proc/self/status"), "VmRSS:").orElse(heap.getCommitted());
    return new WorkerMemory(rss, heap.getUsed(), heap.getCommitted(), available());
  }

  private static long available() {
    OptionalLong host = statusField(Path.of("/proc/meminfo"), "MemAvailable:");
    OptionalLong cgroup = cgroupAvailable();
    if (host.isPresent() && cgroup.isPresent()) {
      return Math.min(host.getAsLong(), cgroup.getAsLong());
    }
    return host.isPresent() ? host.getAsLong() : cgroup.orElse(-1);
  }

  /** cgroup v2 limit minus usage; empty without a limit. */
  private static OptionalLong cgroupAvailable() {
    try {
      String max = Files.readString(Path.of("/sys/fs/cgroup/memory.max")).strip();
      if (max.equals("max")) {
        return OptionalLong.empty();
      }
      long current = Long.parseLong(
          Files.readString(Path.of("/sys/fs/cgroup/memory.current")).strip());
      return OptionalLong.of(Math.max(0, Long.parseLong(max) - current));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty(); // no cgroup v2 memory controller here
    }
  }

  /** A "Name:   123 kB" line of a /proc file, in bytes. */
  private static OptionalLong statusField(Path file, String name) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(name)) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux, or /proc not mounted: the caller falls back.
    }
    return OptionalLong.empty();
  }

  String describe() {
    return String.format(Locale.ROOT, "RSS %,d MiB, heap %,d of %,d MiB committed, host "
        + "available %s", rssBytes >> 20, heapUsedBytes >> 20, heapCommittedBytes >> 20,
        availableBytes < 0 ? "unknown" : String.format(Locale.ROOT, "%,d MiB",
            availableBytes >> 20));
  }
}
