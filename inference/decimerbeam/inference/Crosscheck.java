package decimerbeam.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a second reader adds to DECIMER's reading of one image: whether the two agree, the
 * warnings that follow from it, and which SMILES to prefer.
 *
 * <p>The choice rule for {@link #bestSmiles} (BENCHMARKS.md benchmark 6, "rule B": 115 of 117
 * right against DECIMER's 112) keeps DECIMER's answer unless DECIMER's SMILES has no structure
 * (no InChIKey) or holds an {@link Warning#UNUSUAL_ELEMENT} (such as Pb read for "Ph"), and the
 * second reader has a structure without one. Anywhere else DECIMER is the better reader of
 * its own kind of drawing.
 *
 * @param reader the second reader's id; empty when there was none
 * @param smiles the second reader's SMILES; empty when none
 * @param inchiKey the second reader's InChIKey; empty when none
 * @param agreement empty without a second reader
 * @param warnings the codes the comparison adds to the row
 * @param bestSmiles the preferred SMILES
 */
public record Crosscheck(String reader, String smiles, String inchiKey,
    Optional<Agreement> agreement, List<Warning> warnings, String bestSmiles) {

  public Crosscheck {
    warnings = List.copyOf(warnings);
  }

  /** No second reader: DECIMER's SMILES is the best one, nothing is added. */
  public static Crosscheck none(String decimerSmiles) {
    return new Crosscheck("", "", "", Optional.empty(), List.of(), decimerSmiles);
  }

  /**
   * Compares a second reading with DECIMER's.
   *
   * @param decimerWarnings the warnings of DECIMER's reading ({@link StructureWarnings})
   */
  public static Crosscheck of(String reader, String decimerSmiles, String decimerInchiKey,
      List<Warning> decimerWarnings, SecondReading second) {
    Agreement agreement = second.agreementWith(decimerInchiKey);
    List<Warning> added = new ArrayList<>();
    second.warning().ifPresent(w -> added.add(Warning.valueOf(w.name())));
    if (agreement == Agreement.DIFFERENT) {
      added.add(Warning.SECOND_OPINION_DIFFERS);
    } else if (agreement == Agreement.SAME_WITHOUT_STEREO) {
      added.add(Warning.SECOND_OPINION_STEREO_DIFFERS);
    }
    return new Crosscheck(reader, second.smiles(), second.inchiKey(), Optional.of(agreement),
        added, best(decimerSmiles, decimerInchiKey, decimerWarnings, second));
  }

  private static String best(String decimerSmiles, String decimerInchiKey,
      List<Warning> decimerWarnings, SecondReading second) {
    if (second.inchiKey().isEmpty()) {
      return decimerSmiles;
    }
    if (decimerInchiKey.isEmpty()) {
      return second.smiles();
    }
    boolean secondUnusual = StructureWarnings.check(second.smiles(), false, 1, 1)
        .contains(Warning.UNUSUAL_ELEMENT);
    return decimerWarnings.contains(Warning.UNUSUAL_ELEMENT) && !secondUnusual
        ? second.smiles() : decimerSmiles;
  }

  /** DECIMER's warnings followed by this comparison's, each once. */
  public List<Warning> allWarnings(List<Warning> decimerWarnings) {
    List<Warning> all = new ArrayList<>(decimerWarnings);
    warnings.stream().filter(w -> !all.contains(w)).forEach(all::add);
    return all;
  }

  /** The row's trust: the warnings' ({@link Trust#of(java.util.Collection, Optional)}). */
  public Trust trust(List<Warning> decimerWarnings) {
    return Trust.of(allWarnings(decimerWarnings), agreement);
  }
}
