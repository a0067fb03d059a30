package decimerbeam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.inference.Crosscheck;
import decimerbeam.inference.DecimerReading;
import decimerbeam.inference.ReaderChoice;
import decimerbeam.inference.Recognition;
import decimerbeam.inference.MolVecOpinion;
import decimerbeam.inference.Structures;
import decimerbeam.inference.Trust;
import decimerbeam.inference.Warning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How often DECIMER is right, by confidence and by warning: its answers for the test images
 * (the parity file, Python DECIMER's SMILES and token confidences) against their true
 * structures (truth.csv), compared by InChIKey. Prints the markdown tables of README's
 * "Calibration"; the LOW_CONFIDENCE thresholds are chosen from them.
 *
 * <p>Arguments: the parity .jsonl, then the image folders, each holding a truth.csv.
 */
public final class Calibration {

  private record Answer(String image, boolean correct, double mean, double min,
      DecimerReading reading, List<Warning> withSecond, Trust trustWithSecond,
      boolean bestCorrect) {

    List<Warning> warnings() {
      return reading.warnings();
    }
  }

  private static final double[] MEAN_EDGES = {0.80, 0.90, 0.95, 0.98, 0.99};
  private static final double[] MIN_EDGES = {0.30, 0.50, 0.70, 0.90};

  public static void main(String[] args) throws IOException {
    Map<String, String> truth = new HashMap<>();
    Map<String, Path> files = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      Path folder = Path.of(args[i]);
      List<String> lines = Files.readAllLines(folder.resolve("truth.csv"));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",", 3);
        truth.put(folder.getFileName() + "/" + f[0], f[1]);
        files.put(folder.getFileName() + "/" + f[0], folder.resolve(f[0]));
      }
    }
    // The second opinion as the pipeline gives it: MolVec on the same image bytes.
    MolVecOpinion molvec = new MolVecOpinion();
    ObjectMapper json = new ObjectMapper();
    List<Answer> answers = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      JsonNode n = json.readTree(line);
      String image = n.path("image").asText();
      String expected = truth.get(image);
      if (expected == null) {
        throw new IllegalStateException("no true structure for " + image);
      }
      String smiles = n.path("smiles").asText();
      // The parity file records no truncation: none of its answers hit the step limit.
      Recognition recognition = new Recognition(smiles,
          ReaderChoiceEvaluation.confidences(n.path("confidences")), false, 0, 0);
      double mean = recognition.meanConfidence();
      double min = recognition.minConfidence();
      DecimerReading reading = DecimerReading.of(recognition);
      List<Warning> warnings = reading.warnings();
      Crosscheck check = Crosscheck.of(molvec.readerId(), reading,
          molvec.read(Files.readAllBytes(files.get(image))));
      answers.add(new Answer(image, Structures.sameStructure(smiles, expected), mean, min,
          reading, check.allWarnings(warnings), check.trust(),
          Structures.sameStructure(check.bestSmiles(), expected)));
    }
    molvec.close();
    System.out.printf(Locale.ROOT, "%d images, %d read correctly (same InChIKey as the truth)%n%n",
        answers.size(), answers.stream().filter(Answer::correct).count());
    table("Mean token confidence", answers, a -> bin(a.mean(), MEAN_EDGES));
    table("Lowest token confidence", answers, a -> bin(a.min(), MIN_EDGES));
    Map<String, List<Answer>> byWarning = new LinkedHashMap<>();
    byWarning.put("(none)", new ArrayList<>());
    for (Warning w : Warning.values()) {
      byWarning.put(w.name(), new ArrayList<>());
    }
    for (Answer a : answers) {
      if (a.warnings().isEmpty()) {
        byWarning.get("(none)").add(a);
      }
      a.warnings().forEach(w -> byWarning.get(w.name()).add(a));
    }
    print("Warning", byWarning);
    table("Trust", answers, a -> ReaderChoice.choose(a.reading(),
        java.util.Optional.empty()).trust().label());

    System.out.printf(Locale.ROOT, "With MolVec's second opinion (--secondOpinion=molvec): "
        + "bestSmiles right on %d of %d%n%n", answers.stream().filter(Answer::bestCorrect).count(),
        answers.size());
    Map<String, List<Answer>> bySecond = new LinkedHashMap<>();
    for (Warning w : Warning.values()) {
      if (w.name().startsWith("SECOND_OPINION")) {
        bySecond.put(w.name(), new ArrayList<>());
      }
    }
    bySecond.put("(no second-opinion warning)", new ArrayList<>());
    for (Answer a : answers) {
      List<Warning> added = a.withSecond().stream()
          .filter(w -> w.name().startsWith("SECOND_OPINION")).toList();
      if (added.isEmpty()) {
        bySecond.get("(no second-opinion warning)").add(a);
      }
      added.forEach(w -> bySecond.get(w.name()).add(a));
    }
    print("Second-opinion warning", bySecond);
    table("Trust with the second opinion", answers, a -> a.trustWithSecond().label());
  }

  private static String bin(double value, double[] edges) {
    if (value < edges[0]) {
      return String.format(Locale.ROOT, "< %.2f", edges[0]);
    }
    for (int i = 1; i < edges.length; i++) {
      if (value < edges[i]) {
        return String.format(Locale.ROOT, "%.2f – %.2f", edges[i - 1], edges[i]);
      }
    }
    return String.format(Locale.ROOT, "≥ %.2f", edges[edges.length - 1]);
  }

  private static void table(String title, List<Answer> answers, Function<Answer, String> key) {
    Map<String, List<Answer>> groups = new java.util.TreeMap<>(Calibration::byLowerEdge);
    for (Answer a : answers) {
      groups.computeIfAbsent(key.apply(a), k -> new ArrayList<>()).add(a);
    }
    print(title, groups);
  }

  /** "< x" first, then ranges and "≥ x" by their lower edge; labels without numbers by name. */
  private static int byLowerEdge(String a, String b) {
    return Double.compare(lowerEdge(a), lowerEdge(b)) != 0
        ? Double.compare(lowerEdge(a), lowerEdge(b)) : a.compareTo(b);
  }

  private static double lowerEdge(String label) {
    if (label.startsWith("<")) {
      return -1;
    }
    String number = label.replace("≥", "").strip().split(" ")[0];
    try {
      return Double.parseDouble(number);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void print(String title, Map<String, List<Answer>> groups) {
    System.out.println("| " + title + " | images | correct | accuracy |");
    System.out.println("|---|---:|---:|---:|");
    groups.forEach((label, group) -> {
      long correct = group.stream().filter(Answer::correct).count();
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %s |%n", label, group.size(), correct,
          group.isEmpty() ? "–" : String.format(Locale.ROOT, "%.0f %%",
              100.0 * correct / group.size()));
    });
    System.out.println();
  }
}
