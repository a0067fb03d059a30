package decimerbeam.inference;

import java.util.List;

/**
 * DECIMER's greedy reading of one image as the choice between readers sees it.
 *
 * @param smiles DECIMER's SMILES, as the model wrote it
 * @param inchiKey its standard InChIKey; empty when CDK cannot parse it or InChI refuses it
 * @param warnings its own warnings ({@link StructureWarnings#check}), none from another reader
 * @param minConfidence the lowest token confidence (0 when there are no tokens)
 */
public record DecimerReading(String smiles, String inchiKey, List<Warning> warnings,
    double minConfidence) {

  public DecimerReading {
    warnings = List.copyOf(warnings);
  }

  /** The reading with its InChIKey and warnings worked out as a row's are. */
  public static DecimerReading of(Recognition r) {
    return of(r.smiles(), r.truncated(), r.meanConfidence(), r.minConfidence());
  }

  /** As {@link #of(Recognition)}, from the recognition's parts (recorded readings). */
  public static DecimerReading of(String smiles, boolean truncated, double meanConfidence,
      double minConfidence) {
    String key = Structures.identify(smiles).map(Structures.Identity::inchiKey).orElse("");
    return new DecimerReading(smiles, key,
        StructureWarnings.check(smiles, truncated, meanConfidence, minConfidence), minConfidence);
  }

  /** True when DECIMER itself doubts the reading: any warning of its own. */
  public boolean warned() {
    return !warnings.isEmpty();
  }
}
