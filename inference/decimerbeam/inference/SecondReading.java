package decimerbeam.inference;

import java.util.Optional;

/**
 * What a {@link SecondOpinion} read in one image.
 *
 * @param smiles the reader's structure as canonical SMILES; empty when it has none
 * @param inchiKey its standard InChIKey (computed as for DECIMER's SMILES); empty when none
 * @param warning why there is no structure; empty when there is one
 * @param detail a short human-readable cause for the warning; empty without one
 * @param cpuSeconds CPU time the reader spent on this image (so far, for a timed-out one)
 */
public record SecondReading(
    String smiles,
    String inchiKey,
    Optional<SecondOpinionWarning> warning,
    String detail,
    double cpuSeconds) {

  public static SecondReading of(String smiles, String inchiKey, double cpuSeconds) {
    return new SecondReading(smiles, inchiKey, Optional.empty(), "", cpuSeconds);
  }

  public static SecondReading warning(SecondOpinionWarning warning, String detail,
      double cpuSeconds) {
    return new SecondReading("", "", Optional.of(warning), detail, cpuSeconds);
  }

  /** How this reading compares with DECIMER's, given DECIMER's InChIKey (may be empty). */
  public Agreement agreementWith(String decimerInchiKey) {
    return Agreement.of(decimerInchiKey, inchiKey);
  }

  /** How this reading compares with DECIMER's SMILES, keyed the same way as this reading. */
  public Agreement agreementWithSmiles(String decimerSmiles) {
    return agreementWith(
        Structures.identify(decimerSmiles).map(Structures.Identity::inchiKey).orElse(""));
  }
}
