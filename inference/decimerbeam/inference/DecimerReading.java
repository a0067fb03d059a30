package decimerbeam.inference;

import java.util.List;

/**
 * DECIMER's greedy reading of one image as the choice between readers sees it.
 *
 * @param smiles DECIMER's SMILES, as the model wrote it
 * @param inchiKey its standard InChIKey; empty when CDK cannot parse it or InChI refuses it
 * @param warnings its own warnings ({@link StructureWarnings#check}), none from another reader
 * @param minConfidence the lowest token confidence (0 when there are no tokens)
 * @param doubtfulTokens how many tokens had a confidence under {@link
 *     ReaderChoice#SURE_MIN_CONFIDENCE}
 */
public record DecimerReading(String smiles, String inchiKey, List<Warning> warnings,
    double minConfidence, int doubtfulTokens) {

  public DecimerReading {
    warnings = List.copyOf(warnings);
  }

  /** The reading with its InChIKey and warnings worked out as a row's are. */
  public static DecimerReading of(Recognition r) {
    return of(r, Structures.identify(r.smiles()).map(Structures.Identity::inchiKey).orElse(""));
  }

  /** As {@link #of(Recognition)}, with the InChIKey already worked out. */
  public static DecimerReading of(Recognition r, String inchiKey) {
    int doubtful = 0;
    for (float c : r.tokenConfidences()) {
      if (c < ReaderChoice.SURE_MIN_CONFIDENCE) {
        doubtful++;
      }
    }
    return new DecimerReading(r.smiles(), inchiKey, StructureWarnings.check(r.smiles(),
        r.truncated(), r.meanConfidence(), r.minConfidence()), r.minConfidence(), doubtful);
  }

  /** True when DECIMER itself doubts the reading: any warning of its own. */
  public boolean warned() {
    return !warnings.isEmpty();
  }
}
