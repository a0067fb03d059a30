package decimerbeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.inference.Agreement;
import decimerbeam.inference.MolVecOpinion;
import decimerbeam.inference.SecondReading;
import decimerbeam.inference.Structures;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 6: MolVec as a second opinion on DECIMER. For every image of the given directories
 * (each with a truth.csv of image,smiles), MolVec reads the image bytes here, one image at a
 * time, and DECIMER's answer is taken from a parity file of Python DECIMER's SMILES (which the
 * JVM engine reproduces exactly). Prints one JSON line per image, then the accuracy table:
 * exact structure (InChIKey equal to the truth's) of each reader, of DECIMER where the two
 * agree, and of the choice rules for a best SMILES.
 *
 * <p>Arguments: the parity .jsonl, then the image directories.
 */
public final class SecondOpinionAccuracy {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Elements of drawn organic structures; anything else in a reading is suspect ("Ph" as Pb). */
  static final Set<String> ORGANIC = Set.of(
      "C", "H", "N", "O", "S", "P", "F", "Cl", "Br", "I", "B", "Si", "Se");

  private static final Pattern ELEMENT = Pattern.compile("\\[([A-Z][a-z]?)|(Cl|Br|[BCNOSPFI])");

  record Row(String image, String truthKey, String decimerKey, String molvecKey,
      Agreement agreement, boolean decimerOrganic, boolean molvecOrganic, double cpuSeconds,
      double processCpuSeconds, String warning) {
    boolean decimerRight() {
      return !truthKey.isEmpty() && truthKey.equals(decimerKey);
    }

    boolean molvecRight() {
      return !truthKey.isEmpty() && truthKey.equals(molvecKey);
    }
  }

  public static void main(String[] args) throws IOException {
    Structures.requireInchi();
    Map<String, String> decimer = decimerSmiles(Path.of(args[0]));
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<Row> rows = new ArrayList<>();
    try (MolVecOpinion molvec = new MolVecOpinion()) {
      molvec.read(Files.readAllBytes(firstImage(Path.of(args[1])))); // class loading, JIT
      for (String dir : Arrays.copyOfRange(args, 1, args.length)) {
        Path d = Path.of(dir);
        for (Map.Entry<String, String> truth : truth(d).entrySet()) {
          String key = d.getFileName() + "/" + truth.getKey();
          String decimerSmiles = decimer.get(key);
          if (decimerSmiles == null) {
            throw new IllegalStateException("no DECIMER answer for " + key + " in " + args[0]);
          }
          byte[] bytes = Files.readAllBytes(d.resolve(truth.getKey()));
          long cpu0 = os.getProcessCpuTime();
          SecondReading r = molvec.read(bytes);
          long cpu1 = os.getProcessCpuTime();
          String decimerKey = keyOf(decimerSmiles);
          Row row = new Row(key, keyOf(truth.getValue()), decimerKey, r.inchiKey(),
              r.agreementWith(decimerKey), organic(decimerSmiles), organic(r.smiles()),
              r.cpuSeconds(), (cpu1 - cpu0) / 1e9,
              r.warning().map(Enum::name).orElse(""));
          rows.add(row);
          ObjectNode line = JSON.valueToTree(row);
          line.put("decimerSmiles", decimerSmiles).put("molvecSmiles", r.smiles())
              .put("decimerRight", row.decimerRight()).put("molvecRight", row.molvecRight())
              .put("detail", r.detail());
          System.out.println(JSON.writeValueAsString(line));
        }
      }
    }
    System.out.print(table(rows));
  }

  static String table(List<Row> rows) {
    int n = rows.size();
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "%n%d images (%d with a MolVec warning)%n%n", n,
        rows.stream().filter(r -> !r.warning().isEmpty()).count()));
    t.append("| reading | images answered | exact structure | of all images |\n");
    t.append("|---|---:|---:|---:|\n");
    line(t, rows, "DECIMER alone", r -> true, Row::decimerRight);
    line(t, rows, "MolVec alone", r -> true, Row::molvecRight);
    line(t, rows, "DECIMER where both agree (same InChIKey)",
        r -> r.agreement().sameStructure(), Row::decimerRight);
    line(t, rows, "DECIMER where both agree without stereo (first block)",
        r -> r.agreement().sameWithoutStereo(), Row::decimerRight);
    line(t, rows, "DECIMER where they disagree or MolVec has none",
        r -> !r.agreement().sameWithoutStereo(), Row::decimerRight);
    line(t, rows, "MolVec where they disagree or MolVec has none",
        r -> !r.agreement().sameWithoutStereo(), Row::molvecRight);
    line(t, rows, "bestSmiles, rule A (MolVec when DECIMER has no InChIKey)",
        r -> true, r -> r.decimerKey().isEmpty() && !r.molvecKey().isEmpty()
            ? r.molvecRight() : r.decimerRight());
    line(t, rows, "bestSmiles, rule B (MolVec when DECIMER has a non-organic element and "
        + "MolVec's reading is organic, or DECIMER has no InChIKey)", r -> true,
        r -> SecondOpinionAccuracy.takesMolvec(r) ? r.molvecRight() : r.decimerRight());
    line(t, rows, "either reader right (ceiling of any choice rule)", r -> true,
        r -> r.decimerRight() || r.molvecRight());
    double[] cpu = rows.stream().mapToDouble(Row::cpuSeconds).sorted().toArray();
    double[] proc = rows.stream().mapToDouble(Row::processCpuSeconds).sorted().toArray();
    t.append(String.format(Locale.ROOT, "%nMolVec CPU-seconds per image, its thread: mean %.3f, "
        + "p95 %.3f, max %.3f; whole process: mean %.3f, p95 %.3f, max %.3f%n",
        mean(cpu), p95(cpu), cpu[cpu.length - 1], mean(proc), p95(proc), proc[proc.length - 1]));
    return t.toString();
  }

  /** Rule B: DECIMER unless its reading is missing or has an element drawn organics lack. */
  static boolean takesMolvec(Row r) {
    if (r.molvecKey().isEmpty()) {
      return false;
    }
    return r.decimerKey().isEmpty() || (!r.decimerOrganic() && r.molvecOrganic());
  }

  private static void line(StringBuilder t, List<Row> rows, String name, Predicate<Row> among,
      Predicate<Row> right) {
    List<Row> subset = rows.stream().filter(among).toList();
    long ok = subset.stream().filter(right).count();
    t.append(String.format(Locale.ROOT, "| %s | %d (%.1f %%) | %d / %d = %.1f %% | %.1f %% |%n",
        name, subset.size(), 100.0 * subset.size() / rows.size(), ok, subset.size(),
        subset.isEmpty() ? 0 : 100.0 * ok / subset.size(), 100.0 * ok / rows.size()));
  }

  static boolean organic(String smiles) {
    Matcher m = ELEMENT.matcher(smiles == null ? "" : smiles);
    while (m.find()) {
      String element = m.group(1) != null ? m.group(1) : m.group(2);
      if (!ORGANIC.contains(element)) {
        return false;
      }
    }
    return true;
  }

  private static String keyOf(String smiles) {
    return Structures.identify(smiles).map(Structures.Identity::inchiKey).orElse("");
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(0);
  }

  private static double p95(double[] sorted) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.95 * sorted.length) - 1)];
  }

  /** The parity file's SMILES by "directory/image", e.g. "real/decimer-caffeine.png". */
  private static Map<String, String> decimerSmiles(Path jsonl) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(jsonl)) {
      if (!line.isBlank()) {
        JsonNode n = JSON.readTree(line);
        out.put(n.get("image").asText(), n.get("smiles").asText());
      }
    }
    return out;
  }

  /** truth.csv's image → SMILES, in file order (its first two columns; SMILES have no commas). */
  private static Map<String, String> truth(Path dir) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(dir.resolve("truth.csv"));
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        String[] f = line.split(",", 3);
        out.put(f[0], f[1]);
      }
    }
    return out;
  }

  private static Path firstImage(Path dir) throws IOException {
    return dir.resolve(truth(dir).keySet().iterator().next());
  }

  private SecondOpinionAccuracy() {}
}
