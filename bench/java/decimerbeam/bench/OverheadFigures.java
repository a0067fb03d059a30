package decimerbeam.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The figures that benchmark 2's rows share, on the DirectRunner (PipelineOverhead) and on Flink
 * (FlinkOverhead): worked out one way, so that BENCHMARKS.md can set the two tables side by side.
 */
final class OverheadFigures {

  private OverheadFigures() {}

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** The cores a CPU share is "of": the machine's, as this JVM sees them. */
  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** The 1, 5 and 15 minute load averages, to tell a busy machine from a slow run. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "";
    }
  }

  /** How many images a run read as the raw engine loop did (image name → SMILES, both). */
  static int sameSmiles(Map<String, String> smiles, Map<String, String> raw) {
    return (int) smiles.entrySet().stream()
        .filter(e -> e.getValue().equals(raw.get(e.getKey()))).count();
  }
}
