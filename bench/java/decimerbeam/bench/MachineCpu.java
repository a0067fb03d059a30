package decimerbeam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Machine-wide CPU time from /proc/stat (Linux): how busy all cores were between two reads. */
public record MachineCpu(long busyTicks, long totalTicks) {

  public static MachineCpu now() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = 0;
      long total = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        long v = Long.parseLong(f[i]);
        total += v;
        if (i != 4 && i != 5) {
          busy += v;
        }
      }
      return new MachineCpu(busy, total);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat", e);
    }
  }

  /** Percent of all cores' time spent busy since {@code earlier}. */
  public double busyPercentSince(MachineCpu earlier) {
    long total = totalTicks - earlier.totalTicks;
    return total == 0 ? 0 : 100.0 * (busyTicks - earlier.busyTicks) / total;
  }
}
