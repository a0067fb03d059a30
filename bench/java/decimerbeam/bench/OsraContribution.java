package decimerbeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.inference.Structures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores OSRA as a possible third reader: from {@link OsraReadings}' lines, per set, OSRA's exact
 * standard-InChIKey accuracy (reference key non-empty and equal; "skeleton", the first key block,
 * only as a diagnostic), its share of timeouts, failures,
 * empty and multiple answers, and its CPU seconds per image; then, on the images that
 * {@link RealImageReadings} has also recorded, MolVec's and DECIMER's accuracy (DECIMER's key
 * computed here from its SMILES), the oracle "DECIMER or MolVec right", the oracle "any of the
 * three right", how often OSRA alone is right where both others are wrong, and a two-of-three
 * vote (else MolVec). Prints markdown.
 *
 * <pre>OsraContribution OSRA_JSONL [READINGS_JSONL]</pre>
 */
public final class OsraContribution {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OsraContribution() {}

  public static void main(String[] args) throws IOException {
    Structures.requireInchi();
    Map<String, JsonNode> osra = lines(Path.of(args[0]));
    Map<String, JsonNode> readings = args.length > 1 && Files.exists(Path.of(args[1]))
        ? lines(Path.of(args[1])) : Map.of();
    Map<String, List<JsonNode>> bySet = new LinkedHashMap<>();
    for (JsonNode n : osra.values()) {
      bySet.computeIfAbsent(n.get("set").asText(), s -> new ArrayList<>()).add(n);
    }
    bySet.put("all", new ArrayList<>(osra.values()));

    System.out.println("| set | images | reference readable | OSRA exact | OSRA skeleton | timeout "
        + "| failed | empty | multiple | CPU s mean | CPU s median | wall s mean |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (var e : bySet.entrySet()) {
      List<JsonNode> rows = e.getValue();
      int n = rows.size();
      int readable = 0;
      int right = 0;
      int skeleton = 0;
      Map<String, Integer> status = new LinkedHashMap<>();
      List<Double> cpu = new ArrayList<>();
      double wall = 0;
      for (JsonNode r : rows) {
        String truth = r.get("truthInchiKey").asText();
        readable += truth.isEmpty() ? 0 : 1;
        right += hit(truth, r.get("osraInchiKey").asText()) ? 1 : 0;
        skeleton += skeletonHit(truth, r.get("osraInchiKey").asText()) ? 1 : 0;
        status.merge(r.get("osraStatus").asText(), 1, Integer::sum);
        cpu.add(r.get("cpuSeconds").asDouble());
        wall += r.get("wallSeconds").asDouble();
      }
      System.out.printf(Locale.ROOT,
          "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f |%n",
          e.getKey(), n, readable, pct(right, n), pct(skeleton, n),
          pct(status.getOrDefault("TIMEOUT", 0), n),
          pct(status.getOrDefault("FAILED", 0), n), pct(status.getOrDefault("EMPTY", 0), n),
          pct(status.getOrDefault("MULTIPLE", 0), n), mean(cpu), median(cpu), wall / n);
    }

    if (readings.isEmpty()) {
      return;
    }
    int covered = 0;
    for (String id : osra.keySet()) {
      covered += readings.containsKey(id) ? 1 : 0;
    }
    System.out.printf("%nOn the %d of %d OSRA images that the DECIMER/MolVec readings cover:%n%n",
        covered, osra.size());
    System.out.println("| set | images | MolVec | DECIMER | OSRA | DECIMER or MolVec "
        + "| any of the three | OSRA alone right (others both wrong) | two-of-three vote |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (var e : bySet.entrySet()) {
      int n = 0;
      int mv = 0;
      int dc = 0;
      int os = 0;
      int two = 0;
      int three = 0;
      int osraOnly = 0;
      int vote = 0;
      for (JsonNode o : e.getValue()) {
        JsonNode r = readings.get(id(o));
        if (r == null) {
          continue;
        }
        n++;
        String truth = o.get("truthInchiKey").asText();
        String mKey = r.path("molvecInchiKey").asText("");
        String dKey = Structures.identify(r.path("decimerSmiles").asText(""))
            .map(Structures.Identity::inchiKey).orElse("");
        String sKey = o.get("osraInchiKey").asText();
        boolean m = hit(truth, mKey);
        boolean d = hit(truth, dKey);
        boolean s = hit(truth, sKey);
        vote += hit(truth, vote(mKey, dKey, sKey)) ? 1 : 0;
        mv += m ? 1 : 0;
        dc += d ? 1 : 0;
        os += s ? 1 : 0;
        two += m || d ? 1 : 0;
        three += m || d || s ? 1 : 0;
        osraOnly += s && !m && !d ? 1 : 0;
      }
      if (n > 0) {
        System.out.printf("| %s | %d | %s | %s | %s | %s | %s | %d (%s) | %s |%n", e.getKey(), n,
            pct(mv, n), pct(dc, n), pct(os, n), pct(two, n), pct(three, n), osraOnly,
            pct(osraOnly, n), pct(vote, n));
      }
    }
  }

  /**
   * A rule a pipeline could apply without the reference: the key two of the three readers agree
   * on, else MolVec's, else DECIMER's (the oracles above are bounds no rule reaches).
   */
  static String vote(String molvec, String decimer, String osra) {
    if (!decimer.isEmpty() && (decimer.equals(molvec) || decimer.equals(osra))) {
      return decimer;
    }
    if (!molvec.isEmpty() && molvec.equals(osra)) {
      return molvec;
    }
    return molvec.isEmpty() ? decimer : molvec;
  }

  /** Exact: the reference has a key (no Markush atoms) and the reading's key equals it. */
  static boolean hit(String truth, String key) {
    return !truth.isEmpty() && truth.equals(key);
  }

  /**
   * Same connectivity (first InChIKey block): a diagnostic only, it forgives stereo, charge and
   * isotope errors that the exact criterion counts.
   */
  static boolean skeletonHit(String truth, String key) {
    return truth.length() >= 14 && key.length() >= 14
        && truth.substring(0, 14).equals(key.substring(0, 14));
  }

  static String id(JsonNode n) {
    return n.get("set").asText() + "/" + n.get("image").asText();
  }

  /** One row per image (the last one recorded, should an image appear twice). */
  static Map<String, JsonNode> lines(Path p) throws IOException {
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(p)) {
      if (!line.isBlank()) {
        JsonNode n = JSON.readTree(line);
        rows.put(id(n), n);
      }
    }
    return rows;
  }

  static String pct(int k, int n) {
    return n == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * k / n);
  }

  static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).filter(x -> !Double.isNaN(x))
        .average().orElse(Double.NaN);
  }

  static double median(List<Double> xs) {
    double[] s = xs.stream().mapToDouble(Double::doubleValue).filter(x -> !Double.isNaN(x))
        .sorted().toArray();
    if (s.length == 0) {
      return Double.NaN;
    }
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
