package decimerbeam.report;

import decimerbeam.inference.ChosenFrom;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One image as review.html shows it.
 *
 * @param status {@code RECOGNIZED} or {@code FAILED}
 * @param smiles DECIMER's reading
 * @param agreement the second reader's verdict ({@code SAME}, {@code SAME_WITHOUT_STEREO},
 *     {@code DIFFERENT}, {@code UNKNOWN}), empty without a second opinion
 * @param secondSmiles what the second reader (MolVec) read, empty without one
 * @param bestSmiles the recommended answer: DECIMER's or MolVec's reading; empty on failed rows
 *     and on rows from before the field (DECIMER's reading is then the answer)
 * @param chosenFrom which reading {@code bestSmiles} is, and why ({@link ChosenFrom#label()});
 *     empty on failed rows and on rows from before the field
 * @param alternatives DECIMER's k-best candidates' SMILES, best first; empty when none were kept
 * @param thumbnail a {@code data:} URI of the image ({@link Thumbnail}), empty when none
 */
public record ReviewEntry(String image, String status, String smiles, double meanConfidence,
    double minConfidence, List<String> warnings, String trust, String errorKind, String error,
    String agreement, String secondSmiles, String bestSmiles, String chosenFrom,
    List<String> alternatives, String thumbnail) {

  public ReviewEntry {
    warnings = List.copyOf(warnings);
    alternatives = List.copyOf(alternatives);
  }

  /** The recommended answer: {@code bestSmiles}, else DECIMER's reading (older rows). */
  public String answer() {
    return bestSmiles.isEmpty() ? smiles : bestSmiles;
  }

  /**
   * The readers disagree: the second reader read another structure (or the same one without
   * its stereo), or the recommended answer is not DECIMER's reading.
   */
  public boolean disagrees() {
    return agreement.equals("DIFFERENT") || agreement.equals("SAME_WITHOUT_STEREO")
        || !answer().equals(smiles);
  }

  /**
   * The calibrated precision of the rule that chose the answer ({@link
   * ChosenFrom#estimatedPrecision()}); empty for failed rows and rows whose {@code chosenFrom}
   * names no known rule, which the page sorts last.
   */
  public OptionalDouble estimatedPrecision() {
    if (!status.equals("RECOGNIZED")) {
      return OptionalDouble.empty();
    }
    return ChosenFrom.ofLabel(chosenFrom)
        .map(c -> OptionalDouble.of(c.estimatedPrecision()))
        .orElseGet(OptionalDouble::empty);
  }
}
