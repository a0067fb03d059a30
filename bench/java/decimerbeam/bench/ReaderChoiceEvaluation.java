package decimerbeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.inference.ChosenFrom;
import decimerbeam.inference.DecimerReading;
import decimerbeam.inference.ReaderChoice;
import decimerbeam.inference.Recognition;
import decimerbeam.inference.SecondOpinionWarning;
import decimerbeam.inference.SecondReading;
import decimerbeam.inference.Structures;
import decimerbeam.inference.Trust;
import decimerbeam.inference.Warning;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Scores every reader, the chosen answer ({@code bestSmiles}) and the "any reader right" oracle
 * on recorded readings of labelled real drawings ({@link RealImageReadings}), by standard
 * InChIKey identity with the reference; then accuracy by warning, by choice rule, and trust
 * precision and coverage per level, with the second reader and without it. Prints markdown.
 * Needs no model: the choice is {@link ReaderChoice} applied to the recorded readings, so a
 * change of rule is re-scored in seconds.
 *
 * <pre>ReaderChoiceEvaluation READINGS.jsonl</pre>
 */
public final class ReaderChoiceEvaluation {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReaderChoiceEvaluation() {}

  /** One image: the reference, both readings and what the rule made of them. */
  public record Scored(String set, String image, String truth, DecimerReading decimer,
      SecondReading molvec, ReaderChoice.Choice withMolvec, ReaderChoice.Choice alone,
      double molvecCpuSeconds) {

    public boolean right(String inchiKey) {
      return !truth.isEmpty() && truth.equals(inchiKey);
    }

    public boolean decimerRight() {
      return right(decimer.inchiKey());
    }

    public boolean molvecRight() {
      return right(molvec.inchiKey());
    }

    public boolean chosenRight() {
      return right(withMolvec.inchiKey());
    }

    public boolean aloneRight() {
      return right(alone.inchiKey());
    }

    public boolean oracle() {
      return decimerRight() || molvecRight();
    }
  }

  public static void main(String[] args) throws Exception {
    Structures.requireInchi();
    List<Scored> rows = read(Path.of(args[0]));
    List<String> sets = rows.stream().map(Scored::set).distinct().toList();
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Real drawings: %d labelled images (%s), %s, %s, "
            + "%d cores; readings from %s%n%n", rows.size(), String.join(", ", sets),
        LocalDate.now(), InetAddress.getLocalHost().getHostName(),
        Runtime.getRuntime().availableProcessors(), args[0]));
    accuracy(md, rows, sets);
    byWarning(md, rows, sets);
    byRule(md, rows, sets, Scored::withMolvec, "with MolVec (the default)");
    byRule(md, rows, sets, Scored::alone, "DECIMER alone (`--secondOpinion=none`)");
    trust(md, rows, sets, Scored::withMolvec, "with MolVec (the default)");
    trust(md, rows, sets, Scored::alone, "DECIMER alone (`--secondOpinion=none`)");
    md.append(String.format(Locale.ROOT, "MolVec CPU-seconds per image: %.3f (mean over %d)%n",
        rows.stream().mapToDouble(Scored::molvecCpuSeconds).average().orElse(0), rows.size()));
    System.out.print(md);
  }

  public static List<Scored> read(Path file) throws Exception {
    List<Scored> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(line);
      DecimerReading d = decimer(n);
      SecondReading m = molvec(n);
      rows.add(new Scored(n.get("set").asText(), n.get("image").asText(),
          n.get("truthInchiKey").asText(), d, m, ReaderChoice.choose(d, Optional.of(m)),
          ReaderChoice.choose(d, Optional.empty()), n.path("molvecCpuSeconds").asDouble()));
    }
    return rows;
  }

  /** DECIMER's recorded reading, with its warnings worked out as the pipeline's are. */
  static DecimerReading decimer(JsonNode n) {
    // The pipeline's own arithmetic: float confidences, as the engine hands them over.
    return DecimerReading.of(new Recognition(n.path("decimerSmiles").asText(),
        confidences(n.path("tokenConfidences")),
        n.path("truncated").asBoolean(), 0, 0));
  }

  /** A recorded array of token confidences, as the floats the engine hands over. */
  static float[] confidences(JsonNode array) {
    float[] confidences = new float[array.size()];
    for (int i = 0; i < confidences.length; i++) {
      confidences[i] = (float) array.get(i).asDouble();
    }
    return confidences;
  }

  static SecondReading molvec(JsonNode n) {
    String warning = n.path("molvecWarning").asText();
    double cpu = n.path("molvecCpuSeconds").asDouble();
    return warning.isEmpty()
        ? SecondReading.of(n.path("molvecSmiles").asText(), n.path("molvecInchiKey").asText(), cpu)
        : SecondReading.warning(SecondOpinionWarning.valueOf(warning), "", cpu);
  }

  private static String pct(long right, long of) {
    return of == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * right / of);
  }

  private static long count(List<Scored> rows, Predicate<Scored> p) {
    return rows.stream().filter(p).count();
  }

  private static List<Scored> in(List<Scored> rows, String set) {
    return rows.stream().filter(r -> set.equals("all") || r.set().equals(set)).toList();
  }

  private static List<String> withAll(List<String> sets) {
    List<String> all = new ArrayList<>(sets);
    all.add("all");
    return all;
  }

  private static void accuracy(StringBuilder md, List<Scored> rows, List<String> sets) {
    md.append("Accuracy (exact standard InChIKey; a reference no InChI can key, such as a "
        + "Markush structure, is a miss for every reader):\n\n");
    md.append("| set | images | DECIMER (`smiles`) | MolVec (`secondSmiles`) | `bestSmiles` "
        + "| either reader right | `bestSmiles` / oracle | `bestSmiles` without MolVec |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (String set : withAll(sets)) {
      List<Scored> s = in(rows, set);
      long oracle = count(s, Scored::oracle);
      long chosen = count(s, Scored::chosenRight);
      md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", set,
          s.size(), pct(count(s, Scored::decimerRight), s.size()),
          pct(count(s, Scored::molvecRight), s.size()), pct(chosen, s.size()),
          pct(oracle, s.size()), pct(chosen, oracle), pct(count(s, Scored::aloneRight), s.size())));
    }
    md.append('\n');
  }

  private static void byWarning(StringBuilder md, List<Scored> rows, List<String> sets) {
    md.append("Each reader's accuracy by DECIMER's own warning (rows may hold several):\n\n");
    md.append("| warning |");
    sets.forEach(s -> md.append(" ").append(s).append(": rows, DECIMER, MolVec |"));
    md.append('\n').append("|---|").append("---|".repeat(sets.size())).append('\n');
    Map<String, Predicate<Scored>> groups = new LinkedHashMap<>();
    groups.put("none", r -> !r.decimer().warned());
    for (Warning w : Warning.values()) {
      if (!w.name().startsWith("SECOND_OPINION")) {
        groups.put(w.name(), r -> r.decimer().warnings().contains(w));
      }
    }
    groups.put("MolVec found no structure", r -> r.molvec().inchiKey().isEmpty());
    groups.put("readers agree", r -> r.withMolvec().from() == ChosenFrom.CONSENSUS);
    for (Map.Entry<String, Predicate<Scored>> g : groups.entrySet()) {
      md.append("| ").append(g.getKey()).append(" |");
      for (String set : sets) {
        List<Scored> s = in(rows, set).stream().filter(g.getValue()).toList();
        md.append(String.format(Locale.ROOT, " %d, %s, %s |", s.size(),
            pct(count(s, Scored::decimerRight), s.size()),
            pct(count(s, Scored::molvecRight), s.size())));
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private static void byRule(StringBuilder md, List<Scored> rows, List<String> sets,
      Function<Scored, ReaderChoice.Choice> choice, String title) {
    md.append("Choice rules, ").append(title).append(": rows and precision of `bestSmiles`\n\n");
    md.append("| `chosenFrom` | trust |");
    withAll(sets).forEach(s -> md.append(' ').append(s).append(" |"));
    md.append('\n').append("|---|---|").append("---|".repeat(sets.size() + 1)).append('\n');
    for (ChosenFrom from : ChosenFrom.values()) {
      if (count(rows, r -> choice.apply(r).from() == from) == 0) {
        continue;
      }
      md.append("| `").append(from.label()).append("` | ").append(from.trust().label())
          .append(" |");
      for (String set : withAll(sets)) {
        List<Scored> s = in(rows, set).stream().filter(r -> choice.apply(r).from() == from)
            .toList();
        long right = count(s, r -> r.right(choice.apply(r).inchiKey()));
        md.append(String.format(Locale.ROOT, " %d, %s |", s.size(), pct(right, s.size())));
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private static void trust(StringBuilder md, List<Scored> rows, List<String> sets,
      Function<Scored, ReaderChoice.Choice> choice, String title) {
    md.append("Trust, ").append(title).append(": precision of `bestSmiles` (coverage)\n\n");
    md.append("| trust |");
    withAll(sets).forEach(s -> md.append(' ').append(s).append(" |"));
    md.append('\n').append("|---|").append("---|".repeat(sets.size() + 1)).append('\n');
    for (Trust t : Trust.values()) {
      md.append("| ").append(t.label()).append(" |");
      for (String set : withAll(sets)) {
        List<Scored> all = in(rows, set);
        List<Scored> s = all.stream().filter(r -> choice.apply(r).trust() == t).toList();
        long right = count(s, r -> r.right(choice.apply(r).inchiKey()));
        md.append(String.format(Locale.ROOT, " %s (%s) |", pct(right, s.size()),
            pct(s.size(), all.size())));
      }
      md.append('\n');
    }
    md.append('\n');
  }
}
