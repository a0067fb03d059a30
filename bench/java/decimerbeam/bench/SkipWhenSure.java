package decimerbeam.bench;

import decimerbeam.inference.ChosenFrom;
import decimerbeam.inference.Structures;
import decimerbeam.inference.Trust;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reading MolVec only where DECIMER is not sure would change, on recorded readings
 * ({@link ReaderChoiceEvaluation#read}): rows where DECIMER is sure, their answers and trust
 * with MolVec and without, and the MolVec CPU-seconds they took. Prints markdown.
 *
 * <pre>SkipWhenSure READINGS.jsonl...</pre>
 */
public final class SkipWhenSure {

  private SkipWhenSure() {}

  public static void main(String[] args) throws Exception {
    Structures.requireInchi();
    System.out.println("| readings | images | DECIMER sure | right, with MolVec | right, MolVec"
        + " skipped where sure | sure rows whose answer changes | trust of sure rows with MolVec"
        + " | without | MolVec CPU s, all | MolVec CPU s, sure rows |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (String file : args) {
      List<ReaderChoiceEvaluation.Scored> rows = ReaderChoiceEvaluation.read(Path.of(file));
      int sure = 0;
      int rightWith = 0;
      int rightSkip = 0;
      int changed = 0;
      double cpuAll = 0;
      double cpuSure = 0;
      Map<String, Integer> trustWith = new TreeMap<>();
      Map<String, Integer> trustWithout = new TreeMap<>();
      Map<String, Integer> rightBy = new TreeMap<>();
      int sureRightAlone = 0;
      for (ReaderChoiceEvaluation.Scored r : rows) {
        boolean isSure = r.alone().from() == ChosenFrom.DECIMER_ALONE_SURE;
        cpuAll += r.molvecCpuSeconds();
        if (r.chosenRight()) {
          rightWith++;
        }
        if (isSure ? r.aloneRight() : r.chosenRight()) {
          rightSkip++;
        }
        if (!isSure) {
          continue;
        }
        sure++;
        cpuSure += r.molvecCpuSeconds();
        if (!r.withMolvec().inchiKey().equals(r.alone().inchiKey())) {
          changed++;
        }
        String group = r.withMolvec().trust().label() + " (" + r.withMolvec().from().label()
            + ")";
        trustWith.merge(group, 1, Integer::sum);
        rightBy.merge(group, r.chosenRight() ? 1 : 0, Integer::sum);
        trustWithout.merge(r.alone().trust().label(), 1, Integer::sum);
        sureRightAlone += r.aloneRight() ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %s | %.1f | %.1f |%n",
          Path.of(file).getFileName(), rows.size(), sure, rightWith, rightSkip, changed,
          trustWith, trustWithout, cpuAll, cpuSure);
      System.out.printf(Locale.ROOT, "  sure rows right by group with MolVec: %s; sure rows right"
          + " without MolVec: %d of %d%n", rightBy, sureRightAlone, sure);
    }
  }
}
