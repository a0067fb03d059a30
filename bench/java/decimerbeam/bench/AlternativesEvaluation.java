package decimerbeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.inference.ChosenFrom;
import decimerbeam.inference.Structures;
import decimerbeam.inference.Warning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What DECIMER's k best readings ({@link RealImageAlternatives}) would add to the choice on the
 * calibration drawings: how often the reference is among them, how often they confirm MolVec's
 * reading and how right that is, and the accuracy of the choice with a candidate allowed in,
 * beside the rule as it is ({@code ReaderChoice}). Prints markdown.
 *
 * <pre>AlternativesEvaluation READINGS.jsonl ALTERNATIVES.jsonl</pre>
 */
public final class AlternativesEvaluation {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AlternativesEvaluation() {}

  /** A row, its candidates' InChIKeys (DECIMER's greedy one first among them or not). */
  record Row(ReaderChoiceEvaluation.Scored scored, List<String> candidateKeys,
      List<List<Warning>> candidateWarnings) {}

  public static void main(String[] args) throws Exception {
    Structures.requireInchi();
    Map<String, JsonNode> alternatives = new HashMap<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      JsonNode n = JSON.readTree(line);
      alternatives.put(n.get("set").asText() + "/" + n.get("image").asText(), n);
    }
    List<Row> rows = new ArrayList<>();
    for (ReaderChoiceEvaluation.Scored s : ReaderChoiceEvaluation.read(Path.of(args[0]))) {
      JsonNode n = alternatives.get(s.set() + "/" + s.image());
      List<String> keys = new ArrayList<>();
      List<List<Warning>> warnings = new ArrayList<>();
      if (n != null) {
        for (JsonNode c : n.path("alternatives")) {
          String smiles = c.get("smiles").asText();
          keys.add(Structures.identify(smiles).map(Structures.Identity::inchiKey).orElse(""));
          warnings.add(decimerbeam.inference.StructureWarnings.check(smiles,
              c.path("truncated").asBoolean(), 1, 1));
        }
      }
      rows.add(new Row(s, keys, warnings));
    }
    Map<String, List<Row>> sets = new LinkedHashMap<>();
    rows.forEach(r -> sets.computeIfAbsent(r.scored().set(), k -> new ArrayList<>()).add(r));
    sets.put("all", rows);
    StringBuilder md = new StringBuilder();
    md.append("| set | rows with candidates | reference among the 5 (greedy wrong) "
        + "| MolVec's reading among them: rows, MolVec right | `bestSmiles` now "
        + "| with a confirmed candidate | with an unconfirmed MolVec set aside |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, List<Row>> e : sets.entrySet()) {
      List<Row> rs = e.getValue();
      List<Row> with = rs.stream().filter(r -> !r.candidateKeys().isEmpty()).toList();
      long truthAmong = with.stream().filter(r -> !r.scored().decimerRight()
          && r.candidateKeys().contains(r.scored().truth()) && !r.scored().truth().isEmpty())
          .count();
      List<Row> confirms = with.stream().filter(r -> !r.scored().molvec().inchiKey().isEmpty()
          && r.candidateKeys().contains(r.scored().molvec().inchiKey())).toList();
      long confirmsRight = confirms.stream().filter(r -> r.scored().molvecRight()).count();
      long now = rs.stream().filter(r -> r.scored().chosenRight()).count();
      long confirmed = rs.stream().filter(r -> confirmedRight(r, false)).count();
      long setAside = rs.stream().filter(r -> confirmedRight(r, true)).count();
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d, %s | %s | %s | %s |%n",
          e.getKey(), with.size(), truthAmong, confirms.size(),
          pct(confirmsRight, confirms.size()), pct(now, rs.size()), pct(confirmed, rs.size()),
          pct(setAside, rs.size())));
    }
    System.out.print(md);
  }

  /**
   * The choice with candidates: MolVec's reading when a candidate confirms it; with
   * {@code setAside}, also DECIMER's greedy reading (when it has no warning of its own) over a
   * MolVec reading that no candidate confirms.
   */
  private static boolean confirmedRight(Row r, boolean setAside) {
    ReaderChoiceEvaluation.Scored s = r.scored();
    String molvecKey = s.molvec().inchiKey();
    if (!r.candidateKeys().isEmpty() && !molvecKey.isEmpty()
        && r.candidateKeys().contains(molvecKey)) {
      return s.molvecRight();
    }
    if (setAside && !r.candidateKeys().isEmpty()
        && s.withMolvec().from() == ChosenFrom.MOLVEC_DECIMER_UNSURE
        && s.decimer().warnings().isEmpty()) {
      return s.decimerRight();
    }
    return s.chosenRight();
  }

  private static String pct(long right, long of) {
    return of == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * right / of);
  }
}
