package decimerbeam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory from /proc (Linux), in MiB. */
public final class ProcessMemory {

  private ProcessMemory() {}

  /** Current resident set size. */
  public static long rssMib() {
    return field("VmRSS:");
  }

  /** Peak resident set size since start or since {@link #resetPeak()}. */
  public static long peakMib() {
    return field("VmHWM:");
  }

  /** Resets the peak (VmHWM) to the current RSS; Linux 4.0+. */
  public static void resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException e) {
      throw new IllegalStateException("cannot reset peak RSS via /proc/self/clear_refs", e);
    }
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException(name + " not in /proc/self/status");
  }
}
