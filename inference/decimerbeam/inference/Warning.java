package decimerbeam.inference;

/**
 * Why a recognised row deserves a second look. DECIMER's own codes (the structure checks) are
 * evidence for {@link ReaderChoice}; the second reader's codes say what the comparison found.
 */
public enum Warning {
  /** CDK cannot parse the SMILES (syntax, or aromaticity it cannot kekulise). */
  INVALID_SMILES,
  /** Decoding stopped at the model's step limit: the SMILES is cut off. */
  TRUNCATED,
  /** Mean or minimum token confidence under {@link StructureWarnings}' thresholds. */
  LOW_CONFIDENCE,
  /** An element outside {@link StructureWarnings#USUAL_ELEMENTS}, such as Pb read for "Ph". */
  UNUSUAL_ELEMENT,
  /** A placeholder atom: {@code *}, an R-group or another Markush label. */
  PLACEHOLDER,
  /** More than one disconnected part (salts, mixtures, or a bond the model missed). */
  FRAGMENTS,
  /** An atom whose bonds and charge match no CDK atom type, e.g. a five-bonded carbon. */
  VALENCE,
  /** The second reader found another structure (InChIKeys differ in the first block). */
  SECOND_OPINION_DIFFERS,
  /** The second reader found the same skeleton with other stereo (or charge, isotopes). */
  SECOND_OPINION_STEREO_DIFFERS,
  /** The second reader threw on this image; nothing to compare. */
  SECOND_OPINION_FAILED,
  /** The second reader ran past its time bound; nothing to compare. */
  SECOND_OPINION_TIMEOUT,
  /** The second reader was not started (too many earlier readings hung). */
  SECOND_OPINION_SKIPPED,
  /** The second reader found no structure; nothing to compare. */
  SECOND_OPINION_EMPTY;
}
