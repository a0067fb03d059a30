package decimerbeam.inference;

/**
 * Why a recognised row deserves a second look. Each code says how far it lowers the row's
 * {@link Trust}: a code that means the structure cannot be what was drawn makes it LOW, one that
 * means it may be makes it MEDIUM; a code that only says a check could not be made leaves it.
 */
public enum Warning {
  /** CDK cannot parse the SMILES (syntax, or aromaticity it cannot kekulise). */
  INVALID_SMILES(Trust.LOW),
  /** Decoding stopped at the model's step limit: the SMILES is cut off. */
  TRUNCATED(Trust.LOW),
  /** Mean or minimum token confidence under {@link StructureWarnings}' thresholds. */
  LOW_CONFIDENCE(Trust.MEDIUM),
  /** An element outside {@link StructureWarnings#USUAL_ELEMENTS}, such as Pb read for "Ph". */
  UNUSUAL_ELEMENT(Trust.LOW),
  /** A placeholder atom: {@code *}, an R-group or another Markush label. */
  PLACEHOLDER(Trust.MEDIUM),
  /** More than one disconnected part (salts, mixtures, or a bond the model missed). */
  FRAGMENTS(Trust.MEDIUM),
  /** An atom whose bonds and charge match no CDK atom type, e.g. a five-bonded carbon. */
  VALENCE(Trust.LOW),
  /** The second reader found another structure (InChIKeys differ in the first block). */
  SECOND_OPINION_DIFFERS(Trust.MEDIUM),
  /** The second reader found the same skeleton with other stereo (or charge, isotopes). */
  SECOND_OPINION_STEREO_DIFFERS(Trust.MEDIUM),
  /** The second reader threw on this image; nothing to compare, trust unchanged. */
  SECOND_OPINION_FAILED(Trust.HIGH),
  /** The second reader ran past its time bound; nothing to compare, trust unchanged. */
  SECOND_OPINION_TIMEOUT(Trust.HIGH),
  /** The second reader was not started (too many earlier readings hung); trust unchanged. */
  SECOND_OPINION_SKIPPED(Trust.HIGH),
  /** The second reader found no structure; nothing to compare, trust unchanged. */
  SECOND_OPINION_EMPTY(Trust.HIGH);

  private final Trust lowersTo;

  Warning(Trust lowersTo) {
    this.lowersTo = lowersTo;
  }

  /** The highest trust a row with this warning can have. */
  public Trust lowersTo() {
    return lowersTo;
  }
}
